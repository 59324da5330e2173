package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What kind of external API the provider is (grouping and dashboards only). */
public enum ProviderType {
    @JsonProperty("payment")
    PAYMENT,
    @JsonProperty("sms")
    SMS,
    @JsonProperty("email")
    EMAIL,
    @JsonProperty("analytics")
    ANALYTICS,
    @JsonProperty("advertising")
    ADVERTISING,
    @JsonProperty("custom")
    CUSTOM
}
