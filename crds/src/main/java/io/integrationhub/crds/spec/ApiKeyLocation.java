package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an {@code api_key} goes on the outbound request. */
public enum ApiKeyLocation {
    @JsonProperty("header")
    HEADER,
    @JsonProperty("query")
    QUERY
}
