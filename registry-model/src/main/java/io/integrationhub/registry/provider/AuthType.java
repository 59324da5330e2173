package io.integrationhub.registry.provider;

import java.util.List;

/** How the hub authenticates to a provider, and which credential entries each way needs. */
public enum AuthType {
    NONE(List.of()),
    API_KEY(List.of("apiKey")),
    BEARER(List.of("token")),
    BASIC(List.of("username", "password")),
    OAUTH2_CLIENT_CREDENTIALS(List.of("clientId", "clientSecret"));

    private final List<String> credentialKeys;

    AuthType(List<String> credentialKeys) {
        this.credentialKeys = credentialKeys;
    }

    /** The credential entries this auth type requires, all of them, and no others. */
    public List<String> credentialKeys() {
        return credentialKeys;
    }
}
