package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Consecutive failures within a window open the circuit for {@code openSec}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"failureThreshold", "failureWindowSec", "openSec", "halfOpenProbes"})
public class CircuitBreakerConfig {
    @JsonPropertyDescription("Consecutive failures that open the circuit, 1..1000 (default 5).")
    @Min(1)
    @Max(1000)
    private Integer failureThreshold;

    @JsonPropertyDescription("Window the failures must fall in, seconds, 1..3600 (default 30).")
    @Min(1)
    @Max(3600)
    private Integer failureWindowSec;

    @JsonPropertyDescription("How long an open circuit rejects calls, seconds, 1..3600 (default 60).")
    @Min(1)
    @Max(3600)
    private Integer openSec;

    @JsonPropertyDescription("Probe calls allowed while half-open, 1..10 (default 1).")
    @Min(1)
    @Max(10)
    private Integer halfOpenProbes;

    public Integer getFailureThreshold() {
        return failureThreshold;
    }

    public void setFailureThreshold(Integer failureThreshold) {
        this.failureThreshold = failureThreshold;
    }

    public Integer getFailureWindowSec() {
        return failureWindowSec;
    }

    public void setFailureWindowSec(Integer failureWindowSec) {
        this.failureWindowSec = failureWindowSec;
    }

    public Integer getOpenSec() {
        return openSec;
    }

    public void setOpenSec(Integer openSec) {
        this.openSec = openSec;
    }

    public Integer getHalfOpenProbes() {
        return halfOpenProbes;
    }

    public void setHalfOpenProbes(Integer halfOpenProbes) {
        this.halfOpenProbes = halfOpenProbes;
    }
}
