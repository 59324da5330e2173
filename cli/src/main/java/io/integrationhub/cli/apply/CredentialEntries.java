package io.integrationhub.cli.apply;

import java.util.List;
import java.util.Map;

/**
 * The credential entries each auth type needs (DESIGN §2), by the wire name of the type. The
 * registry's {@code AuthType.credentialKeys()} is the source; a test holds this copy to it.
 */
public final class CredentialEntries {
    private static final Map<String, List<String>> BY_TYPE = Map.of(
            "none", List.of(),
            "api_key", List.of("apiKey"),
            "bearer", List.of("token"),
            "basic", List.of("username", "password"),
            "oauth2_client_credentials", List.of("clientId", "clientSecret"));

    private CredentialEntries() {}

    /** The entries of an auth type (empty for none or an unknown type, which the hub then rejects). */
    public static List<String> of(String authType) {
        return authType == null ? List.of() : BY_TYPE.getOrDefault(authType, List.of());
    }
}
