package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the hub authenticates to the provider; each type but {@code none} needs a Secret. */
public enum AuthType {
    @JsonProperty("none")
    NONE,
    @JsonProperty("api_key")
    API_KEY,
    @JsonProperty("bearer")
    BEARER,
    @JsonProperty("basic")
    BASIC,
    @JsonProperty("oauth2_client_credentials")
    OAUTH2_CLIENT_CREDENTIALS
}
