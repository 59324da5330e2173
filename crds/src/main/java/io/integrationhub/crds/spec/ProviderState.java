package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A disabled provider keeps its registry row but refuses calls (409 provider-disabled). */
public enum ProviderState {
    @JsonProperty("active")
    ACTIVE,
    @JsonProperty("disabled")
    DISABLED
}
