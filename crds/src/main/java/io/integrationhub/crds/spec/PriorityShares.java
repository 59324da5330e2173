package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;

/**
 * The share of the provider's limit each class may fill. The registry also refuses a share of 0 and
 * shares that increase towards batch (the schema cannot say either).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"critical", "default", "batch"})
public class PriorityShares {
    @JsonPropertyDescription("Share of rateLimitPerSec critical calls may fill, (0, 1] (default 1.0).")
    @Max(1)
    private Double critical;

    @JsonProperty("default")
    @JsonPropertyDescription("Share for modules of class default, (0, 1] (default 0.9).")
    @Max(1)
    private Double normal;

    @JsonPropertyDescription("Share for batch modules, (0, 1] (default 0.5).")
    @Max(1)
    private Double batch;

    public Double getCritical() {
        return critical;
    }

    public void setCritical(Double critical) {
        this.critical = critical;
    }

    @JsonProperty("default")
    public Double getNormal() {
        return normal;
    }

    @JsonProperty("default")
    public void setNormal(Double normal) {
        this.normal = normal;
    }

    public Double getBatch() {
        return batch;
    }

    public void setBatch(Double batch) {
        this.batch = batch;
    }
}
