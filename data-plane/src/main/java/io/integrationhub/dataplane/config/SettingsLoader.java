package io.integrationhub.dataplane.config;

import io.helidon.config.Config;
import io.integrationhub.dataplane.auth.TokenRules;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.db.DatabaseSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads every setting, one method per component: the {@code INTEGRATION_*} environment variable
 * when set, else the {@code hub:} key of {@code application.yaml}, else the default (see
 * {@link SettingSource}). The first bad value stops with a {@link SettingsException} naming the
 * variable and what it expects (never echoing a secret).
 */
public final class SettingsLoader {
    private final SettingSource source;

    /**
     * @param env the environment ({@code System::getenv} in production, a map in tests)
     * @param hub the {@code hub:} node of the configuration, or {@link Config#empty()}
     */
    public SettingsLoader(Function<String, String> env, Config hub) {
        this.source = new SettingSource(env, hub);
    }

    public Settings load() {
        Mode mode = source.parseEnum("INTEGRATION_MODE", "mode", Mode.class, Mode.PRODUCTION);
        boolean standalone = mode == Mode.STANDALONE;
        StateDirectories directories = directories();
        return new Settings(
                mode,
                listeners(standalone),
                database(standalone),
                valkey(),
                rabbitMq(),
                kafka(),
                masterKeys(standalone),
                tokens(standalone),
                egress(),
                providers(),
                observability(),
                directories,
                dataPath());
    }

    private Listeners listeners(boolean standalone) {
        String host = source.raw("INTEGRATION_HTTP_HOST", "http.host", standalone ? "127.0.0.1" : "0.0.0.0");
        int httpPort = source.parseInt("INTEGRATION_HTTP_PORT", "http.port", 8080, 0, 65_535);
        // A free HTTP port (tests, smoke runs) implies free gRPC and management ports unless they are set.
        return new Listeners(
                host,
                httpPort,
                source.parseInt("INTEGRATION_GRPC_PORT", "grpc.port", httpPort == 0 ? 0 : 9090, 0, 65_535),
                source.parseInt("INTEGRATION_MANAGEMENT_PORT", "management.port", httpPort == 0 ? 0 : 9464, 0, 65_535),
                source.parseDuration(
                        "INTEGRATION_HEADER_TIMEOUT",
                        "header-timeout",
                        Listeners.DEFAULT_HEADER_TIMEOUT,
                        Duration.ofMillis(100),
                        Duration.ofHours(1)),
                source.parseDuration(
                        "INTEGRATION_IDLE_TIMEOUT",
                        "idle-timeout",
                        Listeners.DEFAULT_IDLE_TIMEOUT,
                        Duration.ofMillis(100),
                        Duration.ofHours(24)),
                source.parseInt(
                        "INTEGRATION_MAX_CONNECTIONS",
                        "max-connections",
                        Listeners.DEFAULT_MAX_CONNECTIONS,
                        1,
                        1_000_000));
    }

    /** Null in standalone mode without a URL: the embedded database is started later. */
    private DatabaseSettings database(boolean standalone) {
        String url = source.raw("INTEGRATION_DB_URL", "db.url", null);
        if (url == null) {
            if (standalone) {
                return null;
            }
            throw new SettingsException(
                    "INTEGRATION_DB_URL is required in production mode (set INTEGRATION_MODE=standalone"
                            + " for an embedded database)");
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new SettingsException("INTEGRATION_DB_URL must be a jdbc:postgresql:// URL");
        }
        return new DatabaseSettings(
                url,
                source.raw("INTEGRATION_DB_USER", "db.user", null),
                source.raw("INTEGRATION_DB_PASSWORD", "db.password", null),
                source.parseInt(
                        "INTEGRATION_DB_POOL_SIZE", "db.pool-size", DatabaseSettings.DEFAULT_MAX_POOL_SIZE, 1, 500));
    }

    private ValkeySettings valkey() {
        return new ValkeySettings(
                source.url(
                        "INTEGRATION_VALKEY_URL",
                        "valkey.url",
                        List.of("redis", "rediss", "valkey", "valkeys", "redis-cluster", "rediss-cluster")),
                source.raw("INTEGRATION_VALKEY_PREFIX", "valkey.prefix", ""),
                source.parseInt("INTEGRATION_EXPECTED_REPLICAS", "expected-replicas", 1, 1, 1000));
    }

    private RabbitMqSettings rabbitMq() {
        String url = source.url("INTEGRATION_RABBITMQ_URL", "rabbitmq.url", List.of("amqp", "amqps"));
        String queue = source.raw("INTEGRATION_RABBITMQ_QUEUE", "rabbitmq.queue", "integration-hub.dlq-retry");
        if (!queue.matches("[A-Za-z0-9._:-]{1,200}")) {
            throw new SettingsException(
                    "INTEGRATION_RABBITMQ_QUEUE must be 1-200 letters, digits, '.', '_', ':' or '-'");
        }
        return new RabbitMqSettings(url, queue);
    }

    private KafkaSettings kafka() {
        String bootstrap = source.raw("INTEGRATION_KAFKA_BOOTSTRAP", "kafka.bootstrap", null);
        if (bootstrap != null
                && !bootstrap.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}(,[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5})*")) {
            throw new SettingsException("INTEGRATION_KAFKA_BOOTSTRAP must be host:port[,host:port...]");
        }
        String topic = source.raw("INTEGRATION_KAFKA_TOPIC", "kafka.topic", "integration-hub.events");
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new SettingsException("INTEGRATION_KAFKA_TOPIC must be 1-249 letters, digits, '.', '_' or '-'");
        }
        return new KafkaSettings(bootstrap, topic);
    }

    private MasterKeySettings masterKeys(boolean standalone) {
        String keys = source.raw("INTEGRATION_MASTER_KEYS", "master-keys", null);
        String keyId = source.raw("INTEGRATION_MASTER_KEY_ID", "master-key-id", null);
        if (keys != null) {
            try {
                MasterKeys.parse(keys, keyId);
            } catch (IllegalArgumentException e) {
                throw new SettingsException("INTEGRATION_MASTER_KEYS / INTEGRATION_MASTER_KEY_ID: " + e.getMessage());
            }
        } else if (!standalone) {
            throw new SettingsException(
                    "INTEGRATION_MASTER_KEYS is required in production mode (kid:base64key of 32 bytes)");
        }
        return new MasterKeySettings(keys, keyId);
    }

    private TokenSettings tokens(boolean standalone) {
        String secret = source.raw("INTEGRATION_JWT_SECRET", "jwt.secret", null);
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new SettingsException("INTEGRATION_JWT_SECRET must be at least 32 bytes (HS256 needs a 256-bit key)");
        }
        String jwksUrl = source.url("INTEGRATION_JWKS_URL", "jwt.jwks-url", List.of("https", "http"));
        if (secret == null && jwksUrl == null && !standalone) {
            throw new SettingsException(
                    "INTEGRATION_JWT_SECRET or INTEGRATION_JWKS_URL is required in production mode");
        }
        return new TokenSettings(
                secret,
                jwksUrl,
                new TokenRules(
                        source.raw("INTEGRATION_JWT_ISSUER", "jwt.issuer", null),
                        source.raw("INTEGRATION_JWT_AUDIENCE", "jwt.audience", null),
                        source.parseDuration(
                                "INTEGRATION_JWT_MAX_TTL",
                                "jwt.max-ttl",
                                null,
                                Duration.ofSeconds(1),
                                Duration.ofDays(3650))));
    }

    private EgressSettings egress() {
        return new EgressSettings(
                source.parseBoolean("INTEGRATION_ALLOW_INSECURE_HTTP", "allow-insecure-http", false),
                cidrs(source.raw("INTEGRATION_ALLOWED_CIDRS", "allowed-cidrs", "")));
    }

    private ProviderDefaults providers() {
        return new ProviderDefaults(
                source.parseInt(
                        "INTEGRATION_RATE_LIMIT_PER_SEC",
                        "rate-limit-per-sec",
                        ProviderDefaults.DEFAULT_RATE_LIMIT_PER_SEC,
                        1,
                        100_000),
                source.parseInt(
                        "INTEGRATION_MAX_PROVIDERS_PER_TENANT",
                        "max-providers-per-tenant",
                        ProviderDefaults.DEFAULT_MAX_PROVIDERS_PER_TENANT,
                        1,
                        1_000_000),
                source.parseInt(
                        "INTEGRATION_MAX_WAITERS", "max-waiters", ProviderDefaults.DEFAULT_MAX_WAITERS, 0, 1_000_000));
    }

    private Observability observability() {
        return new Observability(
                source.url("INTEGRATION_OTLP_ENDPOINT", "otlp.endpoint", List.of("http", "https")),
                source.raw("INTEGRATION_METRICS_TOKEN", "metrics.token", null),
                source.parseInt(
                        "INTEGRATION_METRICS_MAX_PROVIDERS",
                        "metrics.max-providers",
                        Observability.DEFAULT_METRICS_MAX_PROVIDERS,
                        1,
                        100_000));
    }

    private StateDirectories directories() {
        Path stateDir = Path.of(source.raw("INTEGRATION_STATE_DIR", "state-dir", ".hub/standalone"));
        return new StateDirectories(
                stateDir,
                Path.of(source.raw(
                        "INTEGRATION_SPOOL_DIR",
                        "spool-dir",
                        stateDir.resolve("spool").toString())));
    }

    /** The data path's memory and spill bounds (each documented in README's configuration table). */
    private DataPathSettings dataPath() {
        DataPathSettings defaults = DataPathSettings.defaults();
        long maxBody = source.parseLong(
                "INTEGRATION_MAX_BODY_BYTES", "max-body-bytes", defaults.maxBodyBytes(), 1, 128L << 20);
        long budget = source.parseLong(
                "INTEGRATION_MEMORY_BUDGET_BYTES",
                "memory-budget-bytes",
                defaults.memoryBudgetBytes(),
                1024 * 1024,
                1L << 40);
        long bodyMemory = source.parseLong(
                "INTEGRATION_BODY_MEMORY_BYTES", "body-memory-bytes", defaults.bodyMemoryBytes(), 0, budget);
        return new DataPathSettings(
                maxBody,
                budget,
                bodyMemory,
                Path.of(source.raw(
                        "INTEGRATION_SPILL_DIR",
                        "spill-dir",
                        defaults.spillDir().toString())),
                source.parseLong(
                        "INTEGRATION_MAX_KEPT_ANSWER_BYTES",
                        "max-kept-answer-bytes",
                        defaults.maxKeptAnswerBytes(),
                        0,
                        64L << 20),
                source.parseLong(
                        "INTEGRATION_GRPC_MAX_ANSWER_BYTES",
                        "grpc.max-answer-bytes",
                        defaults.grpcMaxAnswerBytes(),
                        1024,
                        64L << 20));
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
