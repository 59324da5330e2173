package io.integrationhub.dataplane.config;

/**
 * Shared admission (rate limits, breakers, concurrency) in Valkey.
 *
 * @param url              INTEGRATION_VALKEY_URL, or null: every instance decides alone (in-process admission)
 * @param prefix           prefix of every key (INTEGRATION_VALKEY_PREFIX), "" for none
 * @param expectedReplicas while Valkey is unreachable each instance allows this share of a shared limit
 *                         (INTEGRATION_EXPECTED_REPLICAS)
 */
public record ValkeySettings(String url, String prefix, int expectedReplicas) {
    public boolean enabled() {
        return url != null;
    }

    @Override
    public String toString() {
        // The URL may carry a password.
        return "Valkey[" + (enabled() ? "configured" : "none") + ", prefix=" + prefix + ", expectedReplicas="
                + expectedReplicas + "]";
    }
}
