package io.integrationhub.registry.valkey;

/**
 * Where a provider's admission state lives: {@code <prefix>{p:<providerId>}:<suffix>}. The hash tag
 * {@code {p:<providerId>}} keeps one provider's keys in one Valkey Cluster slot, so each script runs
 * on one node. The prefix (INTEGRATION_VALKEY_PREFIX, "" for none) lets several hubs or tests share
 * one Valkey.
 */
public record ValkeyKeys(String prefix) {
    public ValkeyKeys {
        prefix = prefix == null ? "" : prefix;
    }

    /** The limiter's log (sorted set): one member per lease of permits, scored by its last possible use. */
    public String limiter(String providerId) {
        return key(providerId, "rl");
    }

    /**
     * A module's own limiter log at the provider (sorted set, as {@link #limiter}): only modules the
     * provider caps ({@code config.moduleLimits}) have one, so their number is bounded by configuration.
     */
    public String moduleLimiter(String providerId, String module) {
        return key(providerId, "rl:m:" + module);
    }

    /** The breaker (hash of {@link BreakerField}s); missing means closed and never failed. */
    public String breaker(String providerId) {
        return key(providerId, "cb");
    }

    /** The provider's own pause (string: epoch ms it ends at). */
    public String pause(String providerId) {
        return key(providerId, "pause");
    }

    /**
     * The retry budget (hash of at most 10 fields, one per second of the window). "budget", not the
     * earliest versions' "rb": those grew a field per second and are left to expire.
     */
    public String retryBudget(String providerId) {
        return key(providerId, "budget");
    }

    /**
     * Who used the provider's limit (hash: one field per live instance, its usage in the rolling
     * second), for provider health; entries older than two seconds are dropped by the script that reads it.
     */
    public String usage(String providerId) {
        return key(providerId, "usage");
    }

    /**
     * The pub/sub channel every instance listens on for {@link AdmissionEvent}s. Not a key: plain
     * PUBLISH reaches every node of a cluster, so one channel serves all providers.
     */
    public String events() {
        return prefix + "admission:events";
    }

    private String key(String providerId, String suffix) {
        return prefix + "{p:" + providerId + "}:" + suffix;
    }
}
