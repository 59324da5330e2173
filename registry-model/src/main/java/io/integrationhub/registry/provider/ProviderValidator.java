package io.integrationhub.registry.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.registry.provider.AuthSpec.ApiKeyLocation;
import io.integrationhub.registry.validation.FieldErrors;
import io.integrationhub.registry.validation.ValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Turns a provider document (JSON as sent to the REST API; the operator and hubctl map their YAML to
 * the same shape) into a {@link ProviderSpec}, or rejects it naming every offending field. Bounds
 * are DESIGN §2's, inclusive.
 */
public final class ProviderValidator {
    static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** RFC 9110 token: what a header or query parameter name may be made of. */
    static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");

    private static final int MAX_URL_LENGTH = 2048;
    private static final int MAX_SECRET_LENGTH = 8192;
    private static final int MAX_HEADER_VALUE_LENGTH = 4096;
    private static final int MAX_DEFAULT_HEADERS = 50;
    private static final int MAX_SCOPES = 50;

    private static final Set<String> TOP_LEVEL = Set.of("name", "type", "baseUrl", "auth", "config", "status");
    private static final Set<String> READ_ONLY =
            Set.of("id", "tenantId", "managedBy", "version", "createdAt", "updatedAt", "deletedAt");
    private static final Set<String> AUTH_FIELDS = Set.of("type", "in", "name", "tokenUrl", "scopes", "credentials");
    private static final Set<String> CONFIG_FIELDS = Set.of(
            "timeoutMs",
            "rateLimitPerSec",
            "retry",
            "circuitBreaker",
            "maxConcurrency",
            "defaultHeaders",
            "allowPrivateNetwork",
            "streamIdleTimeoutMs",
            "failover",
            "priorities",
            "priorityShares",
            "moduleLimits",
            "maxQueueMs");
    private static final Set<String> SHARE_FIELDS = Set.of("critical", "default", "batch");

    private static final int MAX_MODULES = 100;
    private static final Set<String> FAILOVER_FIELDS = Set.of("to", "onStatus");
    private static final int MAX_ON_STATUS = 20;
    private static final Set<String> RETRY_FIELDS =
            Set.of("maxAttempts", "baseDelayMs", "multiplier", "jitterMs", "budgetPercent");
    private static final Set<String> BREAKER_FIELDS =
            Set.of("failureThreshold", "failureWindowSec", "openSec", "halfOpenProbes");
    /** Headers the hub owns on the outbound request; a provider's default headers may not set them. */
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "authorization",
            "proxy-authorization",
            "host",
            "content-length",
            "transfer-encoding",
            "connection",
            "keep-alive",
            "te",
            "trailer",
            "upgrade",
            "idempotency-key",
            "traceparent");

    private final boolean allowInsecureHttp;

    /** @param allowInsecureHttp whether http:// base and token URLs are accepted (INTEGRATION_ALLOW_INSECURE_HTTP) */
    public ProviderValidator(boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    /**
     * Validates a whole provider document.
     *
     * @param storedAuthType the stored auth type, or null on create
     * @param hasStoredCredentials whether credentials are stored; they are kept (the result's
     *     credentials are null) when the document omits {@code auth.credentials} and the type is unchanged
     * @throws ValidationException naming every offending field
     */
    public ProviderSpec validate(JsonNode doc, AuthType storedAuthType, boolean hasStoredCredentials) {
        FieldErrors errors = new FieldErrors();
        if (doc == null || !doc.isObject()) {
            throw ValidationException.of("$", "the provider must be a JSON object");
        }
        doc.fieldNames().forEachRemaining(field -> {
            if (READ_ONLY.contains(field)) {
                errors.add(field, "is read-only");
            } else if (!TOP_LEVEL.contains(field)) {
                errors.add(field, "unknown field");
            }
        });
        String name = errors.string(doc, "", "name", true, 63);
        if (name != null && !DNS_1123_LABEL.matcher(name).matches()) {
            errors.add(
                    "name",
                    "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending"
                            + " with a letter or digit, at most 63 characters");
        }
        ProviderType type = enumField(doc, "", "type", ProviderType.class, true, null, errors);
        String baseUrl = errors.string(doc, "", "baseUrl", true, MAX_URL_LENGTH);
        if (baseUrl != null) {
            checkUrl(baseUrl, "baseUrl", true, errors);
        }
        ProviderStatus status =
                enumField(doc, "", "status", ProviderStatus.class, false, ProviderStatus.ACTIVE, errors);
        AuthResult auth = auth(doc, storedAuthType, hasStoredCredentials, errors);
        ProviderConfig config = config(doc, name, errors);
        errors.throwIfAny();
        return new ProviderSpec(name, type, baseUrl, auth.spec, auth.credentials, config, status);
    }

    /** Validates the document of a provider that does not exist yet. */
    public ProviderSpec validateNew(JsonNode doc) {
        return validate(doc, null, false);
    }

    private record AuthResult(AuthSpec spec, Credentials credentials) {}

    private AuthResult auth(JsonNode doc, AuthType storedAuthType, boolean hasStoredCredentials, FieldErrors errors) {
        JsonNode auth = errors.object(doc, "", "auth");
        if (auth == null) {
            if (!doc.has("auth") || doc.get("auth").isNull()) {
                return new AuthResult(AuthSpec.NONE, new Credentials(Map.of()));
            }
            return new AuthResult(AuthSpec.NONE, null);
        }
        errors.rejectUnknown(auth, "auth", AUTH_FIELDS);
        AuthType type = enumField(auth, "auth", "type", AuthType.class, true, null, errors);
        if (type == null) {
            return new AuthResult(AuthSpec.NONE, null);
        }
        ApiKeyLocation in = null;
        String name = null;
        String tokenUrl = null;
        List<String> scopes = null;
        if (type == AuthType.API_KEY) {
            in = enumField(auth, "auth", "in", ApiKeyLocation.class, false, ApiKeyLocation.HEADER, errors);
            name = errors.string(auth, "auth", "name", true, 128);
            if (name != null && !TOKEN.matcher(name).matches()) {
                errors.add("auth.name", "must be a valid header or query parameter name");
            } else if (name != null
                    && in == ApiKeyLocation.HEADER
                    && RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                    && !name.equalsIgnoreCase("authorization")) {
                errors.add("auth.name", "header '" + name + "' is owned by the hub");
            }
        } else {
            rejectFieldsUnusedBy(type, auth, errors, "in", "name");
        }
        if (type == AuthType.OAUTH2_CLIENT_CREDENTIALS) {
            tokenUrl = errors.string(auth, "auth", "tokenUrl", true, MAX_URL_LENGTH);
            if (tokenUrl != null) {
                checkUrl(tokenUrl, "auth.tokenUrl", false, errors);
            }
            scopes = scopes(auth, errors);
        } else {
            rejectFieldsUnusedBy(type, auth, errors, "tokenUrl", "scopes");
        }
        Credentials credentials = credentials(auth, type, storedAuthType, hasStoredCredentials, errors);
        return new AuthResult(new AuthSpec(type, in, name, tokenUrl, scopes), credentials);
    }

    private static void rejectFieldsUnusedBy(AuthType type, JsonNode auth, FieldErrors errors, String... fields) {
        for (String field : fields) {
            if (auth.has(field)) {
                errors.add("auth." + field, "is not used by auth type " + WireName.of(type));
            }
        }
    }

    private static List<String> scopes(JsonNode auth, FieldErrors errors) {
        JsonNode node = auth.get("scopes");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_SCOPES) {
            errors.add("auth.scopes", "must be a list of at most " + MAX_SCOPES + " strings");
            return List.of();
        }
        List<String> scopes = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode scope = node.get(i);
            if (!scope.isTextual()
                    || scope.textValue().isEmpty()
                    || !scope.textValue().matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}")) {
                errors.add("auth.scopes[" + i + "]", "must be a non-empty scope token without spaces or quotes");
            } else {
                scopes.add(scope.textValue());
            }
        }
        return scopes;
    }

    private static Credentials credentials(
            JsonNode auth, AuthType type, AuthType storedAuthType, boolean hasStored, FieldErrors errors) {
        JsonNode node = auth.get("credentials");
        if (node == null || node.isNull()) {
            if (type.credentialKeys().isEmpty()) {
                return new Credentials(Map.of());
            }
            if (hasStored && type == storedAuthType) {
                return null; // keep what is stored
            }
            errors.add(
                    "auth.credentials",
                    "is required for auth type " + WireName.of(type) + ": " + type.credentialKeys());
            return null;
        }
        if (!node.isObject()) {
            errors.add("auth.credentials", "must be an object");
            return null;
        }
        Map<String, String> entries = new LinkedHashMap<>();
        node.fieldNames().forEachRemaining(key -> {
            if (!type.credentialKeys().contains(key)) {
                errors.add("auth.credentials." + key, "is not a credential of auth type " + WireName.of(type));
            }
        });
        for (String key : type.credentialKeys()) {
            JsonNode value = node.get(key);
            String field = "auth.credentials." + key;
            if (value == null || value.isNull()) {
                errors.add(field, "is required");
            } else if (!value.isTextual() || value.textValue().isEmpty()) {
                errors.add(field, "must be a non-empty string");
            } else if (value.textValue().length() > MAX_SECRET_LENGTH) {
                errors.add(field, "must be at most " + MAX_SECRET_LENGTH + " characters");
            } else if (hasControlCharacters(value.textValue())) {
                errors.add(field, "must not contain control characters");
            } else if (type == AuthType.BASIC
                    && key.equals("username")
                    && value.textValue().contains(":")) {
                errors.add(field, "must not contain ':'");
            } else {
                entries.put(key, value.textValue());
            }
        }
        return new Credentials(entries);
    }

    private ProviderConfig config(JsonNode doc, String name, FieldErrors errors) {
        ProviderConfig defaults = ProviderConfig.defaults();
        JsonNode config = errors.object(doc, "", "config");
        if (config == null) {
            return defaults;
        }
        errors.rejectUnknown(config, "config", CONFIG_FIELDS);
        int timeoutMs =
                errors.integer(config, "config", "timeoutMs", 1, ProviderConfig.MAX_TIMEOUT_MS, defaults.timeoutMs());
        Integer rateLimit = errors.integer(config, "config", "rateLimitPerSec", 1, 100_000, null);
        Integer maxConcurrency = errors.integer(config, "config", "maxConcurrency", 1, 100_000, null);
        boolean allowPrivate = errors.bool(config, "config", "allowPrivateNetwork", false);
        Integer streamIdleTimeoutMs = errors.integer(
                config, "config", "streamIdleTimeoutMs", 1, ProviderConfig.MAX_STREAM_IDLE_TIMEOUT_MS, null);

        ProviderConfig.Retry retry = defaults.retry();
        JsonNode retryNode = errors.object(config, "config", "retry");
        if (retryNode != null) {
            String p = "config.retry";
            errors.rejectUnknown(retryNode, p, RETRY_FIELDS);
            retry = new ProviderConfig.Retry(
                    errors.integer(retryNode, p, "maxAttempts", 1, 10, retry.maxAttempts()),
                    errors.integer(retryNode, p, "baseDelayMs", 0, 60_000, retry.baseDelayMs()),
                    errors.number(retryNode, p, "multiplier", 1, 10, retry.multiplier()),
                    errors.integer(retryNode, p, "jitterMs", 0, 10_000, retry.jitterMs()),
                    errors.integer(retryNode, p, "budgetPercent", 0, 100, retry.budgetPercent()));
        }
        ProviderConfig.CircuitBreaker breaker = defaults.circuitBreaker();
        JsonNode breakerNode = errors.object(config, "config", "circuitBreaker");
        if (breakerNode != null) {
            String p = "config.circuitBreaker";
            errors.rejectUnknown(breakerNode, p, BREAKER_FIELDS);
            breaker = new ProviderConfig.CircuitBreaker(
                    errors.integer(breakerNode, p, "failureThreshold", 1, 1000, breaker.failureThreshold()),
                    errors.integer(breakerNode, p, "failureWindowSec", 1, 3600, breaker.failureWindowSec()),
                    errors.integer(breakerNode, p, "openSec", 1, 3600, breaker.openSec()),
                    errors.integer(breakerNode, p, "halfOpenProbes", 1, 10, breaker.halfOpenProbes()));
        }
        return ProviderConfig.builder()
                .timeoutMs(timeoutMs)
                .rateLimitPerSec(rateLimit)
                .retry(retry)
                .circuitBreaker(breaker)
                .maxConcurrency(maxConcurrency)
                .defaultHeaders(defaultHeaders(config, errors))
                .allowPrivateNetwork(allowPrivate)
                .streamIdleTimeoutMs(streamIdleTimeoutMs)
                .failover(failover(config, name, errors))
                .priorities(priorities(config, errors))
                .priorityShares(priorityShares(config, errors))
                .moduleLimits(moduleLimits(config, errors))
                .maxQueueMs(errors.integer(config, "config", "maxQueueMs", 0, ProviderConfig.MAX_QUEUE_MS, null))
                .build();
    }

    /** {@code {"<module>": "critical"|"default"|"batch"}}; unlisted modules are {@code default}. */
    private static Map<String, ProviderConfig.Priority> priorities(JsonNode config, FieldErrors errors) {
        Map<String, ProviderConfig.Priority> priorities = new LinkedHashMap<>();
        modules(
                config,
                "priorities",
                errors,
                (field, value) -> {
                    var priority =
                            value.isTextual() ? WireName.parse(ProviderConfig.Priority.class, value.textValue()) : null;
                    if (priority == null || priority.isEmpty()) {
                        errors.add(field, "must be one of " + WireName.choices(ProviderConfig.Priority.class));
                        return null;
                    }
                    return priority.get();
                },
                priorities);
        return priorities;
    }

    /** {@code {"<module>": calls per second}}: a cap inside the provider's limit, never extra allowance. */
    private static Map<String, Integer> moduleLimits(JsonNode config, FieldErrors errors) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        modules(
                config,
                "moduleLimits",
                errors,
                (field, value) -> {
                    if (!value.isIntegralNumber()
                            || !value.canConvertToLong()
                            || value.longValue() < 1
                            || value.longValue() > 100_000) {
                        errors.add(field, "must be an integer from 1 to 100000 (calls per second)");
                        return null;
                    }
                    return (int) value.longValue();
                },
                limits);
        return limits;
    }

    /** The entries of a per-module object, each value read by {@code read} (null: refused, error recorded). */
    private static <V> void modules(
            JsonNode config,
            String name,
            FieldErrors errors,
            BiFunction<String, JsonNode, V> read,
            Map<String, V> into) {
        JsonNode node = errors.object(config, "config", name);
        if (node == null) {
            return;
        }
        String p = "config." + name;
        if (node.size() > MAX_MODULES) {
            errors.add(p, "must name at most " + MAX_MODULES + " modules");
            return;
        }
        node.fields().forEachRemaining(entry -> {
            String field = p + "." + entry.getKey();
            if (!ModuleNames.isPlain(entry.getKey())) {
                errors.add(
                        field,
                        "is not a module name (1 to 64 letters, digits or . _ : @ -, starting with a letter or digit)");
                return;
            }
            V value = read.apply(field, entry.getValue());
            if (value != null) {
                into.put(entry.getKey(), value);
            }
        });
    }

    /** Each share in (0, 1], missing ones at their defaults, not increasing from critical to batch. */
    private static ProviderConfig.PriorityShares priorityShares(JsonNode config, FieldErrors errors) {
        JsonNode node = errors.object(config, "config", "priorityShares");
        if (node == null) {
            return null;
        }
        String p = "config.priorityShares";
        errors.rejectUnknown(node, p, SHARE_FIELDS);
        ProviderConfig.PriorityShares defaults = ProviderConfig.PriorityShares.defaults();
        double critical = share(node, p, "critical", defaults.critical(), errors);
        double normal = share(node, p, "default", defaults.normal(), errors);
        double batch = share(node, p, "batch", defaults.batch(), errors);
        if (critical < normal || normal < batch) {
            errors.add(
                    p,
                    "must not increase from critical to default to batch (got " + critical + ", " + normal + ", "
                            + batch + ")");
        }
        return new ProviderConfig.PriorityShares(critical, normal, batch);
    }

    private static double share(JsonNode node, String prefix, String field, double fallback, FieldErrors errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber() || !(value.doubleValue() > 0) || value.doubleValue() > 1) {
            errors.add(prefix + "." + field, "must be a number greater than 0 and at most 1");
            return fallback;
        }
        return value.doubleValue();
    }

    /**
     * The failover route's shape: 1 to 3 distinct provider names other than this one, and the
     * answers (400-599) that mean "not executed". That the names exist in the tenant is checked by
     * the repository, in the transaction that stores the route.
     */
    private static ProviderConfig.Failover failover(JsonNode config, String name, FieldErrors errors) {
        JsonNode node = errors.object(config, "config", "failover");
        if (node == null) {
            return null;
        }
        String p = "config.failover";
        errors.rejectUnknown(node, p, FAILOVER_FIELDS);
        List<String> to = new ArrayList<>();
        JsonNode targets = node.get("to");
        if (targets == null
                || !targets.isArray()
                || targets.isEmpty()
                || targets.size() > ProviderConfig.Failover.MAX_TARGETS) {
            errors.add(
                    p + ".to", "must be an array of 1 to " + ProviderConfig.Failover.MAX_TARGETS + " provider names");
        } else {
            for (int i = 0; i < targets.size(); i++) {
                JsonNode target = targets.get(i);
                String field = p + ".to[" + i + "]";
                if (!target.isTextual()
                        || !DNS_1123_LABEL.matcher(target.textValue()).matches()) {
                    errors.add(field, "must be the name of a provider of the same tenant");
                } else if (target.textValue().equals(name)) {
                    errors.add(field, "must not be the provider itself");
                } else if (to.contains(target.textValue())) {
                    errors.add(field, "names '" + target.textValue() + "' twice");
                } else {
                    to.add(target.textValue());
                }
            }
        }
        List<Integer> onStatus = new ArrayList<>();
        JsonNode statuses = node.get("onStatus");
        if (statuses != null && !statuses.isNull()) {
            if (!statuses.isArray() || statuses.size() > MAX_ON_STATUS) {
                errors.add(p + ".onStatus", "must be an array of at most " + MAX_ON_STATUS + " statuses");
            } else {
                for (int i = 0; i < statuses.size(); i++) {
                    JsonNode status = statuses.get(i);
                    if (!status.isIntegralNumber() || status.longValue() < 400 || status.longValue() > 599) {
                        errors.add(p + ".onStatus[" + i + "]", "must be a status from 400 to 599");
                    } else if (!onStatus.contains(status.intValue())) {
                        onStatus.add(status.intValue());
                    }
                }
            }
        }
        return new ProviderConfig.Failover(to, onStatus);
    }

    private static Map<String, String> defaultHeaders(JsonNode config, FieldErrors errors) {
        JsonNode node = errors.object(config, "config", "defaultHeaders");
        if (node == null) {
            return Map.of();
        }
        if (node.size() > MAX_DEFAULT_HEADERS) {
            errors.add("config.defaultHeaders", "must have at most " + MAX_DEFAULT_HEADERS + " entries");
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> {
            String field = "config.defaultHeaders." + entry.getKey();
            JsonNode value = entry.getValue();
            if (!TOKEN.matcher(entry.getKey()).matches()) {
                errors.add(field, "is not a valid header name");
            } else if (RESERVED_HEADERS.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                errors.add(field, "is owned by the hub and cannot be set");
            } else if (!value.isTextual()
                    || value.textValue().length() > MAX_HEADER_VALUE_LENGTH
                    || hasControlCharacters(value.textValue())) {
                errors.add(
                        field,
                        "must be a string of at most " + MAX_HEADER_VALUE_LENGTH
                                + " characters without control characters");
            } else {
                headers.put(entry.getKey(), value.textValue());
            }
        });
        return headers;
    }

    private void checkUrl(String value, String field, boolean isBaseUrl, FieldErrors errors) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            errors.add(field, "is not a valid URL");
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowInsecureHttp)) {
            errors.add(
                    field,
                    allowInsecureHttp
                            ? "must be an http or https URL"
                            : "must be an https URL (http needs INTEGRATION_ALLOW_INSECURE_HTTP=true)");
            return;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            errors.add(field, "must name a host");
        } else if (isAmbiguousNumericHost(uri.getHost())) {
            // 2130706433, 0x7f000001, 127.1, 0177.0.0.1: resolvers disagree on what these mean.
            errors.add(field, "must name its host by DNS name or a canonical dotted IPv4 address");
        } else if (uri.getHost().startsWith("[")) {
            // The outbound HTTP client does not dial bracketed IPv6 literals correctly; a DNS name works.
            errors.add(field, "must name its host by DNS name or IPv4 address, not an IPv6 literal");
        } else if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            errors.add(field, "must have a port from 1 to 65535");
        } else if (uri.getRawUserInfo() != null) {
            errors.add(field, "must not carry user information; use auth instead");
        } else if (uri.getRawFragment() != null) {
            errors.add(field, "must not have a fragment");
        } else if (isBaseUrl && uri.getRawQuery() != null) {
            errors.add(field, "must not have a query; use the call's query instead");
        }
    }

    private static final Pattern CANONICAL_IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    /** A host whose last label is all digits or hex (0x...) but which is not a canonical dotted quad. */
    static boolean isAmbiguousNumericHost(String host) {
        if (host.startsWith("[")) {
            return false;
        }
        String last = host.substring(host.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        boolean numeric = last.matches("\\d+") || last.matches("0x[0-9a-f]*");
        return numeric && !CANONICAL_IPV4.matcher(host).matches();
    }

    private static <E extends Enum<E>> E enumField(
            JsonNode parent,
            String prefix,
            String field,
            Class<E> type,
            boolean required,
            E fallback,
            FieldErrors errors) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(FieldErrors.path(prefix, field), "is required");
            }
            return fallback;
        }
        E value = node.isTextual() ? WireName.parse(type, node.textValue()).orElse(null) : null;
        if (value == null) {
            errors.add(FieldErrors.path(prefix, field), "must be one of " + WireName.choices(type));
            return fallback;
        }
        return value;
    }

    private static boolean hasControlCharacters(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
