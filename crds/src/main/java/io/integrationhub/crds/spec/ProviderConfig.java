package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** How the hub calls the provider. Bounds are DESIGN §2's, inclusive; absent fields take the defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "timeoutMs",
    "rateLimitPerSec",
    "retry",
    "circuitBreaker",
    "maxConcurrency",
    "defaultHeaders",
    "allowPrivateNetwork",
    "streamIdleTimeoutMs",
    "failover",
    "priorities",
    "priorityShares",
    "moduleLimits",
    "maxQueueMs"
})
public class ProviderConfig {
    @JsonPropertyDescription("Per-attempt timeout in ms, 1..30000 (default 10000).")
    @Min(1)
    @Max(30000)
    private Integer timeoutMs;

    @JsonPropertyDescription(
            "Outgoing calls per second across all instances, 1..100000 (default: the hub's INTEGRATION_RATE_LIMIT_PER_SEC).")
    @Min(1)
    @Max(100000)
    private Integer rateLimitPerSec;

    @JsonPropertyDescription("Retries of network errors, timeouts and 5xx.")
    private RetryConfig retry;

    @JsonPropertyDescription("When to stop calling a failing provider for a while.")
    private CircuitBreakerConfig circuitBreaker;

    @JsonPropertyDescription("In-flight calls per provider and instance, 1..100000 (default unlimited).")
    @Min(1)
    @Max(100000)
    private Integer maxConcurrency;

    @JsonPropertyDescription("Headers added to every call; auth, hop-by-hop and tracing headers cannot be set.")
    @Size(max = 50)
    private Map<String, String> defaultHeaders;

    @JsonPropertyDescription("Allow connections to private, loopback and link-local addresses (default false).")
    private Boolean allowPrivateNetwork;

    @JsonPropertyDescription("Longest pause in ms between chunks of a streamed answer (events, downloads), 1..300000"
            + " (default: timeoutMs, which bounds the wait for the answer's headers).")
    @Min(1)
    @Max(300000)
    private Integer streamIdleTimeoutMs;

    @JsonPropertyDescription(
            "Same-API failover: {to: [names of Providers of the same tenant], onStatus: [statuses declared"
                    + " 'not executed']}. A call moves on only when this provider provably did not execute it.")
    private FailoverConfig failover;

    @JsonPropertyDescription("Each module's class at this provider: {<module>: critical|default|batch}; unlisted"
            + " modules are default. A class fills at most its share (priorityShares) of rateLimitPerSec, all instances"
            + " together, so lower classes leave headroom for higher ones. The module is the caller token's module"
            + " claim, else its sub.")
    @Size(max = 100)
    private Map<String, String> priorities;

    @JsonPropertyDescription("The share of rateLimitPerSec each class may fill, each in (0, 1], not increasing from"
            + " critical to batch (defaults 1.0, 0.9, 0.5).")
    private PriorityShares priorityShares;

    @JsonPropertyDescription("A module's own cap in calls per rolling second inside the provider's limit (never extra"
            + " allowance): {<module>: 1..100000}.")
    @Size(max = 100)
    private Map<String, Integer> moduleLimits;

    @JsonPropertyDescription("How long in ms a call may wait for a slot of the rate limit instead of getting 429,"
            + " 0..30000 (default 0: refused at once). Higher classes are served first among an instance's waiters.")
    @Min(0)
    @Max(30000)
    private Integer maxQueueMs;

    public Integer getTimeoutMs() {
        return timeoutMs;
    }

    public void setTimeoutMs(Integer timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    public Integer getRateLimitPerSec() {
        return rateLimitPerSec;
    }

    public void setRateLimitPerSec(Integer rateLimitPerSec) {
        this.rateLimitPerSec = rateLimitPerSec;
    }

    public RetryConfig getRetry() {
        return retry;
    }

    public void setRetry(RetryConfig retry) {
        this.retry = retry;
    }

    public CircuitBreakerConfig getCircuitBreaker() {
        return circuitBreaker;
    }

    public void setCircuitBreaker(CircuitBreakerConfig circuitBreaker) {
        this.circuitBreaker = circuitBreaker;
    }

    public Integer getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(Integer maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public Map<String, String> getDefaultHeaders() {
        return defaultHeaders;
    }

    public void setDefaultHeaders(Map<String, String> defaultHeaders) {
        this.defaultHeaders = defaultHeaders;
    }

    public Boolean getAllowPrivateNetwork() {
        return allowPrivateNetwork;
    }

    public void setAllowPrivateNetwork(Boolean allowPrivateNetwork) {
        this.allowPrivateNetwork = allowPrivateNetwork;
    }

    public Integer getStreamIdleTimeoutMs() {
        return streamIdleTimeoutMs;
    }

    public void setStreamIdleTimeoutMs(Integer streamIdleTimeoutMs) {
        this.streamIdleTimeoutMs = streamIdleTimeoutMs;
    }

    public FailoverConfig getFailover() {
        return failover;
    }

    public void setFailover(FailoverConfig failover) {
        this.failover = failover;
    }

    public Map<String, String> getPriorities() {
        return priorities;
    }

    public void setPriorities(Map<String, String> priorities) {
        this.priorities = priorities;
    }

    public PriorityShares getPriorityShares() {
        return priorityShares;
    }

    public void setPriorityShares(PriorityShares priorityShares) {
        this.priorityShares = priorityShares;
    }

    public Map<String, Integer> getModuleLimits() {
        return moduleLimits;
    }

    public void setModuleLimits(Map<String, Integer> moduleLimits) {
        this.moduleLimits = moduleLimits;
    }

    public Integer getMaxQueueMs() {
        return maxQueueMs;
    }

    public void setMaxQueueMs(Integer maxQueueMs) {
        this.maxQueueMs = maxQueueMs;
    }
}
