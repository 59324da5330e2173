package io.integrationhub.registry.provider;

import java.util.List;

/**
 * The non-secret part of a provider's auth: its type and, per type, where an API key goes
 * ({@code in} header|query and {@code name}) or where OAuth2 tokens come from ({@code tokenUrl},
 * {@code scopes}). Fields a type does not use are null.
 */
public record AuthSpec(AuthType type, ApiKeyLocation in, String name, String tokenUrl, List<String> scopes) {
    public static final AuthSpec NONE = new AuthSpec(AuthType.NONE, null, null, null, null);

    public AuthSpec {
        scopes = scopes == null ? null : List.copyOf(scopes);
    }

    /** Where an {@code api_key} credential is placed on the outbound request. */
    public enum ApiKeyLocation {
        HEADER,
        QUERY
    }
}
