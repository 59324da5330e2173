package io.integrationhub.dataplane.config;

import io.helidon.config.Config;
import io.integrationhub.dataplane.auth.TokenRules;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.db.DatabaseSettings;
import io.integrationhub.registry.provider.WireName;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads every setting: the {@code INTEGRATION_*} environment variable when set, else the
 * {@code hub:} key of {@code application.yaml}, else the default. The first bad value stops with a
 * {@link SettingsException} naming the variable and what it expects (never echoing a secret).
 */
public final class SettingsLoader {
    private final Function<String, String> env;
    private final Config hub;

    /**
     * @param env the environment ({@code System::getenv} in production, a map in tests)
     * @param hub the {@code hub:} node of the configuration, or {@link Config#empty()}
     */
    public SettingsLoader(Function<String, String> env, Config hub) {
        this.env = env;
        this.hub = hub;
    }

    public Settings load() {
        Mode mode = parseEnum("INTEGRATION_MODE", "mode", Mode.class, Mode.PRODUCTION);
        boolean standalone = mode == Mode.STANDALONE;
        String httpHost = raw("INTEGRATION_HTTP_HOST", "http.host", standalone ? "127.0.0.1" : "0.0.0.0");
        int httpPort = parseInt("INTEGRATION_HTTP_PORT", "http.port", 8080, 0, 65_535);

        DatabaseSettings database = null;
        String dbUrl = raw("INTEGRATION_DB_URL", "db.url", null);
        if (dbUrl != null) {
            if (!dbUrl.startsWith("jdbc:postgresql://")) {
                throw new SettingsException("INTEGRATION_DB_URL must be a jdbc:postgresql:// URL");
            }
            database = new DatabaseSettings(dbUrl, raw("INTEGRATION_DB_USER", "db.user", null),
                    raw("INTEGRATION_DB_PASSWORD", "db.password", null),
                    parseInt("INTEGRATION_DB_POOL_SIZE", "db.pool-size", DatabaseSettings.DEFAULT_MAX_POOL_SIZE, 1, 500));
        } else if (!standalone) {
            throw new SettingsException("INTEGRATION_DB_URL is required in production mode (set INTEGRATION_MODE=standalone"
                    + " for an embedded database)");
        }

        String valkeyUrl = url("INTEGRATION_VALKEY_URL", "valkey.url",
                List.of("redis", "rediss", "valkey", "valkeys", "redis-cluster", "rediss-cluster"));
        String rabbitUrl = url("INTEGRATION_RABBITMQ_URL", "rabbitmq.url", List.of("amqp", "amqps"));
        String kafka = raw("INTEGRATION_KAFKA_BOOTSTRAP", "kafka.bootstrap", null);
        if (kafka != null && !kafka.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}(,[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5})*")) {
            throw new SettingsException("INTEGRATION_KAFKA_BOOTSTRAP must be host:port[,host:port...]");
        }
        String retryQueue = raw("INTEGRATION_RABBITMQ_QUEUE", "rabbitmq.queue", "integration-hub.dlq-retry");
        if (!retryQueue.matches("[A-Za-z0-9._:-]{1,200}")) {
            throw new SettingsException("INTEGRATION_RABBITMQ_QUEUE must be 1-200 letters, digits, '.', '_', ':' or '-'");
        }
        String eventsTopic = raw("INTEGRATION_KAFKA_TOPIC", "kafka.topic", "integration-hub.events");
        if (!eventsTopic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new SettingsException("INTEGRATION_KAFKA_TOPIC must be 1-249 letters, digits, '.', '_' or '-'");
        }

        String masterKeys = raw("INTEGRATION_MASTER_KEYS", "master-keys", null);
        String masterKeyId = raw("INTEGRATION_MASTER_KEY_ID", "master-key-id", null);
        if (masterKeys != null) {
            try {
                MasterKeys.parse(masterKeys, masterKeyId);
            } catch (IllegalArgumentException e) {
                throw new SettingsException("INTEGRATION_MASTER_KEYS / INTEGRATION_MASTER_KEY_ID: " + e.getMessage());
            }
        } else if (!standalone) {
            throw new SettingsException("INTEGRATION_MASTER_KEYS is required in production mode (kid:base64key of 32 bytes)");
        }

        String jwtSecret = raw("INTEGRATION_JWT_SECRET", "jwt.secret", null);
        if (jwtSecret != null && jwtSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new SettingsException("INTEGRATION_JWT_SECRET must be at least 32 bytes (HS256 needs a 256-bit key)");
        }
        String jwksUrl = url("INTEGRATION_JWKS_URL", "jwt.jwks-url", List.of("https", "http"));
        if (jwtSecret == null && jwksUrl == null && !standalone) {
            throw new SettingsException("INTEGRATION_JWT_SECRET or INTEGRATION_JWKS_URL is required in production mode");
        }

        Path stateDir = Path.of(raw("INTEGRATION_STATE_DIR", "state-dir", ".hub/standalone"));
        return new Settings(
                mode,
                httpHost,
                httpPort,
                database,
                valkeyUrl,
                raw("INTEGRATION_VALKEY_PREFIX", "valkey.prefix", ""),
                rabbitUrl,
                retryQueue,
                kafka,
                eventsTopic,
                masterKeys,
                masterKeyId,
                jwtSecret,
                jwksUrl,
                parseInt("INTEGRATION_RATE_LIMIT_PER_SEC", "rate-limit-per-sec", 100, 1, 100_000),
                parseBoolean("INTEGRATION_ALLOW_INSECURE_HTTP", "allow-insecure-http", false),
                cidrs(raw("INTEGRATION_ALLOWED_CIDRS", "allowed-cidrs", "")),
                parseInt("INTEGRATION_EXPECTED_REPLICAS", "expected-replicas", 1, 1, 1000),
                // A dead letter holds its body whole (sealed as one value): 128 MiB at most.
                parseLong("INTEGRATION_MAX_BODY_BYTES", "max-body-bytes", 10L * 1024 * 1024, 1, 128L << 20),
                stateDir,
                // Registry writes wait here while PostgreSQL is unreachable (DESIGN §4): one directory per instance.
                Path.of(raw("INTEGRATION_SPOOL_DIR", "spool-dir", stateDir.resolve("spool").toString())),
                // A free HTTP port (tests, smoke runs) implies a free gRPC port unless one is set.
                parseInt("INTEGRATION_GRPC_PORT", "grpc.port", httpPort == 0 ? 0 : 9090, 0, 65_535),
                url("INTEGRATION_OTLP_ENDPOINT", "otlp.endpoint", List.of("http", "https")),
                new TokenRules(raw("INTEGRATION_JWT_ISSUER", "jwt.issuer", null), raw("INTEGRATION_JWT_AUDIENCE", "jwt.audience", null),
                        parseDuration("INTEGRATION_JWT_MAX_TTL", "jwt.max-ttl", null, Duration.ofSeconds(1), Duration.ofDays(3650))),
                new Limits(parseInt("INTEGRATION_MAX_PROVIDERS_PER_TENANT", "max-providers-per-tenant",
                        Limits.DEFAULT_MAX_PROVIDERS_PER_TENANT, 1, 1_000_000),
                        parseInt("INTEGRATION_METRICS_MAX_PROVIDERS", "metrics.max-providers", Limits.DEFAULT_METRICS_MAX_PROVIDERS, 1, 100_000)),
                new Listeners(
                        // A free HTTP port (tests, smoke runs) implies a free management port unless one is set.
                        parseInt("INTEGRATION_MANAGEMENT_PORT", "management.port", httpPort == 0 ? 0 : 9464, 0, 65_535),
                        raw("INTEGRATION_METRICS_TOKEN", "metrics.token", null),
                        parseDuration("INTEGRATION_HEADER_TIMEOUT", "header-timeout", Listeners.DEFAULT_HEADER_TIMEOUT,
                                Duration.ofMillis(100), Duration.ofHours(1)),
                        parseDuration("INTEGRATION_IDLE_TIMEOUT", "idle-timeout", Listeners.DEFAULT_IDLE_TIMEOUT,
                                Duration.ofMillis(100), Duration.ofHours(24)),
                        parseInt("INTEGRATION_MAX_CONNECTIONS", "max-connections", Listeners.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000)),
                dataPath());
    }

    /** The data path's memory and spill bounds (each documented in README's configuration table). */
    private DataPathSettings dataPath() {
        DataPathSettings defaults = DataPathSettings.defaults();
        long budget = parseLong("INTEGRATION_MEMORY_BUDGET_BYTES", "memory-budget-bytes", defaults.memoryBudgetBytes(),
                1024 * 1024, 1L << 40);
        long bodyMemory = parseLong("INTEGRATION_BODY_MEMORY_BYTES", "body-memory-bytes", defaults.bodyMemoryBytes(), 0, budget);
        return new DataPathSettings(budget, bodyMemory,
                Path.of(raw("INTEGRATION_SPILL_DIR", "spill-dir", defaults.spillDir().toString())),
                parseLong("INTEGRATION_MAX_KEPT_ANSWER_BYTES", "max-kept-answer-bytes", defaults.maxKeptAnswerBytes(), 0, 64L << 20),
                parseLong("INTEGRATION_GRPC_MAX_ANSWER_BYTES", "grpc.max-answer-bytes", defaults.grpcMaxAnswerBytes(), 1024,
                        64L << 20));
    }

    private String raw(String variable, String key, String fallback) {
        String value = env.apply(variable);
        if (value == null || value.isBlank()) {
            value = hub.get(key).asString().orElse(null);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private int parseInt(String variable, String key, int fallback, int min, int max) {
        return (int) parseLong(variable, key, fallback, min, max);
    }

    private long parseLong(String variable, String key, long fallback, long min, long max) {
        String value = raw(variable, key, null);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException(variable + " must be a whole number from " + min + " to " + max + ", but was '" + value + "'");
    }

    /** A whole number of seconds, or one followed by {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}. */
    private Duration parseDuration(String variable, String key, Duration fallback, Duration min, Duration max) {
        String value = raw(variable, key, null);
        if (value == null) {
            return fallback;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?").matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration parsed = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofSeconds(amount);
            };
            if (parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
                return parsed;
            }
        }
        throw new SettingsException(variable + " must be a duration from " + min + " to " + max
                + " (seconds, or a number with ms, s, m, h or d), but was '" + value + "'");
    }

    private boolean parseBoolean(String variable, String key, boolean fallback) {
        String value = raw(variable, key, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SettingsException(variable + " must be true or false, but was '" + value + "'");
        };
    }

    private <E extends Enum<E>> E parseEnum(String variable, String key, Class<E> type, E fallback) {
        String value = raw(variable, key, null);
        if (value == null) {
            return fallback;
        }
        return WireName.parse(type, value.toLowerCase(Locale.ROOT)).orElseThrow(() -> new SettingsException(
                variable + " must be one of " + WireName.choices(type) + ", but was '" + value + "'"));
    }

    /** A URL with one of the given schemes; the message never repeats it, as it may hold a password. */
    private String url(String variable, String key, List<String> schemes) {
        String value = raw(variable, key, null);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            // A cluster's seeds (redis-cluster://h1:p1,h2:p2) are no single host: the authority holds them.
            boolean seeds = uri.getScheme() != null && uri.getScheme().endsWith("-cluster") && uri.getAuthority() != null;
            if (uri.getScheme() != null && schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT)) && (uri.getHost() != null || seeds)) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new SettingsException(variable + " must be a URL with scheme " + String.join("|", schemes) + " and a host");
    }

    private static List<Cidr> cidrs(String value) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                try {
                    cidrs.add(Cidr.parse(part.trim()));
                } catch (IllegalArgumentException e) {
                    throw new SettingsException("INTEGRATION_ALLOWED_CIDRS: " + e.getMessage());
                }
            }
        }
        return cidrs;
    }
}
