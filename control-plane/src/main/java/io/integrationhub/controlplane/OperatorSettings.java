package io.integrationhub.controlplane;

import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.db.DatabaseSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The operator's settings, read once from the environment at start-up. Every value is checked here
 * so that a bad one stops the process with one line naming the variable (see {@link SettingsException}).
 *
 * @param database the registry ({@code INTEGRATION_DB_URL|USER|PASSWORD})
 * @param masterKeys sealing keys ({@code INTEGRATION_MASTER_KEYS}, {@code INTEGRATION_MASTER_KEY_ID})
 * @param valkeyUrl where the data plane keeps breaker state ({@code INTEGRATION_VALKEY_URL}); empty: circuit Unknown
 * @param valkeyPrefix the data plane's key prefix ({@code INTEGRATION_VALKEY_PREFIX}), "" for none
 * @param allowInsecureHttp accept http:// base URLs ({@code INTEGRATION_ALLOW_INSECURE_HTTP}, as the data plane)
 * @param httpPort health and metrics port ({@code INTEGRATION_OPERATOR_HTTP_PORT}, 8081)
 * @param namespaces namespaces to watch ({@code INTEGRATION_WATCH_NAMESPACES}, comma-separated); empty: all
 * @param leaderElection lease settings, empty when {@code INTEGRATION_LEADER_ELECTION=false}
 * @param circuitRefresh how often circuit states are re-read ({@code INTEGRATION_CIRCUIT_REFRESH_SEC}, 30)
 */
public record OperatorSettings(
        DatabaseSettings database,
        MasterKeys masterKeys,
        Optional<String> valkeyUrl,
        String valkeyPrefix,
        boolean allowInsecureHttp,
        int httpPort,
        Set<String> namespaces,
        Optional<ProviderOperator.LeaderElection> leaderElection,
        Duration circuitRefresh) {

    static final String DB_URL = "INTEGRATION_DB_URL";
    static final String DB_USER = "INTEGRATION_DB_USER";
    static final String DB_PASSWORD = "INTEGRATION_DB_PASSWORD";
    static final String MASTER_KEYS = "INTEGRATION_MASTER_KEYS";
    static final String MASTER_KEY_ID = "INTEGRATION_MASTER_KEY_ID";
    static final String VALKEY_URL = "INTEGRATION_VALKEY_URL";
    static final String VALKEY_PREFIX = "INTEGRATION_VALKEY_PREFIX";
    static final String ALLOW_INSECURE_HTTP = "INTEGRATION_ALLOW_INSECURE_HTTP";
    static final String HTTP_PORT = "INTEGRATION_OPERATOR_HTTP_PORT";
    static final String WATCH_NAMESPACES = "INTEGRATION_WATCH_NAMESPACES";
    static final String LEADER_ELECTION = "INTEGRATION_LEADER_ELECTION";
    static final String LEASE_NAME = "INTEGRATION_LEADER_ELECTION_LEASE";
    static final String LEASE_NAMESPACE = "INTEGRATION_LEADER_ELECTION_NAMESPACE";
    static final String CIRCUIT_REFRESH_SEC = "INTEGRATION_CIRCUIT_REFRESH_SEC";
    /** The leader's identity: the pod name (downward API), else the host name. */
    static final String POD_NAME = "POD_NAME";

    static final int DEFAULT_HTTP_PORT = 8081;
    static final String DEFAULT_LEASE_NAME = "integration-hub-operator";
    static final int DEFAULT_CIRCUIT_REFRESH_SEC = 30;
    /** The operator writes rarely; a small pool leaves connections to the data plane. */
    static final int DB_POOL_SIZE = 4;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /** Reads and checks every setting, one component at a time. */
    public static OperatorSettings fromEnvironment(Map<String, String> env) {
        // Checked in this order, so that of several bad values the same one is named as before.
        DatabaseSettings database = database(env);
        MasterKeys keys = masterKeys(env);
        Optional<String> valkey = valkeyUrl(env);
        Optional<ProviderOperator.LeaderElection> leaderElection = leaderElection(env);
        return new OperatorSettings(
                database,
                keys,
                valkey,
                optional(env, VALKEY_PREFIX).orElse(""),
                bool(env, ALLOW_INSECURE_HTTP, false),
                integer(env, HTTP_PORT, DEFAULT_HTTP_PORT, 1, 65535),
                namespaces(env),
                leaderElection,
                Duration.ofSeconds(integer(env, CIRCUIT_REFRESH_SEC, DEFAULT_CIRCUIT_REFRESH_SEC, 1, 3600)));
    }

    private static DatabaseSettings database(Map<String, String> env) {
        String url = required(env, DB_URL);
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new SettingsException(DB_URL, "must be a jdbc:postgresql:// URL");
        }
        return new DatabaseSettings(
                url,
                optional(env, DB_USER).orElse(null),
                optional(env, DB_PASSWORD).orElse(null),
                DB_POOL_SIZE);
    }

    private static MasterKeys masterKeys(Map<String, String> env) {
        try {
            return MasterKeys.parse(
                    required(env, MASTER_KEYS), optional(env, MASTER_KEY_ID).orElse(null));
        } catch (IllegalArgumentException e) {
            // MasterKeys' messages never quote key material.
            String variable = e.getMessage().contains("sealing") ? MASTER_KEY_ID : MASTER_KEYS;
            throw new SettingsException(variable, e.getMessage());
        }
    }

    private static Optional<String> valkeyUrl(Map<String, String> env) {
        Optional<String> valkey = optional(env, VALKEY_URL);
        if (valkey.isPresent() && !valkey.get().matches("rediss?(-cluster)?://.+")) {
            throw new SettingsException(VALKEY_URL, "must be a redis[s]:// or redis[s]-cluster:// URL");
        }
        return valkey;
    }

    /** Empty when {@code INTEGRATION_LEADER_ELECTION=false}. */
    private static Optional<ProviderOperator.LeaderElection> leaderElection(Map<String, String> env) {
        if (!bool(env, LEADER_ELECTION, true)) {
            return Optional.empty();
        }
        String lease = optional(env, LEASE_NAME).orElse(DEFAULT_LEASE_NAME);
        if (!DNS_SUBDOMAIN.matcher(lease).matches()) {
            throw new SettingsException(LEASE_NAME, "must be a Kubernetes object name (DNS-1123 subdomain)");
        }
        String leaseNamespace = optional(env, LEASE_NAMESPACE).orElse(null);
        if (leaseNamespace != null && !DNS_LABEL.matcher(leaseNamespace).matches()) {
            throw new SettingsException(LEASE_NAMESPACE, "must be a namespace name (DNS-1123 label)");
        }
        String identity =
                optional(env, POD_NAME).or(() -> optional(env, "HOSTNAME")).orElse(null);
        return Optional.of(new ProviderOperator.LeaderElection(lease, leaseNamespace, identity, true));
    }

    private static Set<String> namespaces(Map<String, String> env) {
        Set<String> namespaces = new LinkedHashSet<>();
        optional(env, WATCH_NAMESPACES)
                .ifPresent(list -> Arrays.stream(list.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .forEach(namespace -> {
                            if (!DNS_LABEL.matcher(namespace).matches()) {
                                throw new SettingsException(
                                        WATCH_NAMESPACES, "'" + namespace + "' is not a namespace name");
                            }
                            namespaces.add(namespace);
                        }));
        return Set.copyOf(namespaces);
    }

    private static String required(Map<String, String> env, String name) {
        return optional(env, name).orElseThrow(() -> new SettingsException(name, "is required"));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        Optional<String> value = optional(env, name).map(v -> v.toLowerCase(Locale.ROOT));
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SettingsException(name, "must be true or false");
        };
    }

    private static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
        Optional<String> value = optional(env, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                throw new SettingsException(name, "must be from " + min + " to " + max + ", but was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new SettingsException(name, "must be an integer from " + min + " to " + max);
        }
    }

    @Override
    public String toString() {
        // No password, no key material, no Valkey URL (it may carry a password).
        return "OperatorSettings[database=" + database + ", masterKeys=" + masterKeys + ", valkey="
                + (valkeyUrl.isPresent() ? "configured" : "none") + ", allowInsecureHttp=" + allowInsecureHttp
                + ", httpPort=" + httpPort + ", namespaces=" + (namespaces.isEmpty() ? "all" : namespaces)
                + ", leaderElection="
                + leaderElection.map(ProviderOperator.LeaderElection::leaseName).orElse("off")
                + ", circuitRefresh=" + circuitRefresh + "]";
    }
}
