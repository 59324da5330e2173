package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Exponential backoff with jitter; delay n = baseDelayMs * multiplier^(n-1) +- jitterMs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"maxAttempts", "baseDelayMs", "multiplier", "jitterMs", "budgetPercent"})
public class RetryConfig {
    @JsonPropertyDescription("Attempts including the first, 1..10 (default 5).")
    @Min(1)
    @Max(10)
    private Integer maxAttempts;

    @JsonPropertyDescription("Delay before the first retry in ms, 0..60000 (default 1000).")
    @Min(0)
    @Max(60000)
    private Integer baseDelayMs;

    @JsonPropertyDescription("Backoff multiplier, 1..10 (default 2).")
    @Min(1)
    @Max(10)
    private Double multiplier;

    @JsonPropertyDescription("Random jitter added to each delay in ms, 0..10000 (default 500).")
    @Min(0)
    @Max(10000)
    private Integer jitterMs;

    @JsonPropertyDescription("Retries may add at most this % on top of first attempts, 0..100 (default 20).")
    @Min(0)
    @Max(100)
    private Integer budgetPercent;

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Integer getBaseDelayMs() {
        return baseDelayMs;
    }

    public void setBaseDelayMs(Integer baseDelayMs) {
        this.baseDelayMs = baseDelayMs;
    }

    public Double getMultiplier() {
        return multiplier;
    }

    public void setMultiplier(Double multiplier) {
        this.multiplier = multiplier;
    }

    public Integer getJitterMs() {
        return jitterMs;
    }

    public void setJitterMs(Integer jitterMs) {
        this.jitterMs = jitterMs;
    }

    public Integer getBudgetPercent() {
        return budgetPercent;
    }

    public void setBudgetPercent(Integer budgetPercent) {
        this.budgetPercent = budgetPercent;
    }
}
