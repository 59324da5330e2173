package io.integrationhub.dataplane.config;

/**
 * The keys that seal credentials, bodies and call records at rest.
 *
 * @param keys  INTEGRATION_MASTER_KEYS ({@code kid:base64key[,...]}); null only in standalone mode until generated
 * @param keyId INTEGRATION_MASTER_KEY_ID, the key that seals (null: the first)
 */
public record MasterKeySettings(String keys, String keyId) {
    @Override
    public String toString() {
        // Key material stays out of every rendering.
        return "MasterKeys[" + (keys != null ? "configured" : "none") + ", keyId=" + keyId + "]";
    }
}
