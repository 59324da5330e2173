package io.integrationhub.registry.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * How the hub calls a provider: timeout, outgoing limits, retry and breaker settings. Defaults are
 * DESIGN §2's; {@code rateLimitPerSec} null means the instance-wide default applies, and
 * {@code maxConcurrency} null means unlimited.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderConfig(
        int timeoutMs,
        Integer rateLimitPerSec,
        Retry retry,
        CircuitBreaker circuitBreaker,
        Integer maxConcurrency,
        Map<String, String> defaultHeaders,
        boolean allowPrivateNetwork,
        Integer streamIdleTimeoutMs,
        Failover failover) {

    public static final int DEFAULT_TIMEOUT_MS = 10_000;
    public static final int MAX_TIMEOUT_MS = 30_000;
    /** A streamed answer (an LLM's events, a report download) may pause this long at most between chunks. */
    public static final int MAX_STREAM_IDLE_TIMEOUT_MS = 300_000;

    public ProviderConfig {
        defaultHeaders = defaultHeaders == null ? Map.of() : Map.copyOf(defaultHeaders);
    }

    /** A provider without a stream idle timeout or a failover route. */
    public ProviderConfig(
            int timeoutMs,
            Integer rateLimitPerSec,
            Retry retry,
            CircuitBreaker circuitBreaker,
            Integer maxConcurrency,
            Map<String, String> defaultHeaders,
            boolean allowPrivateNetwork) {
        this(
                timeoutMs,
                rateLimitPerSec,
                retry,
                circuitBreaker,
                maxConcurrency,
                defaultHeaders,
                allowPrivateNetwork,
                null,
                null);
    }

    public static ProviderConfig defaults() {
        return new ProviderConfig(
                DEFAULT_TIMEOUT_MS,
                null,
                Retry.defaults(),
                CircuitBreaker.defaults(),
                null,
                Map.of(),
                false,
                null,
                null);
    }

    /** The failover targets in order (never null: empty without a route). */
    public List<String> failoverTargets() {
        return failover == null ? List.of() : failover.to();
    }

    /**
     * The longest silence allowed between chunks of an answer's body: the provider's
     * {@code streamIdleTimeoutMs}, else the call's timeout (which bounds the wait for the headers).
     */
    public int effectiveStreamIdleTimeoutMs(int callTimeoutMs) {
        return streamIdleTimeoutMs == null ? callTimeoutMs : streamIdleTimeoutMs;
    }

    /** The rate limit in force: the provider's own, else the instance default. */
    public int effectiveRateLimitPerSec(int instanceDefault) {
        return rateLimitPerSec == null ? instanceDefault : rateLimitPerSec;
    }

    /** Exponential backoff with jitter: delay n = baseDelayMs * multiplier^(n-1) ± jitterMs. */
    public record Retry(int maxAttempts, int baseDelayMs, double multiplier, int jitterMs, int budgetPercent) {
        public static Retry defaults() {
            return new Retry(5, 1_000, 2.0, 500, 20);
        }
    }

    /** Consecutive failures within a window open the circuit for {@code openSec}. */
    public record CircuitBreaker(int failureThreshold, int failureWindowSec, int openSec, int halfOpenProbes) {
        public static CircuitBreaker defaults() {
            return new CircuitBreaker(5, 30, 60, 1);
        }
    }

    /**
     * Where a call goes when this provider provably did not execute it: the providers of the same
     * tenant named in {@code to}, in order (at most {@link #MAX_TARGETS}), with the same request.
     * {@code onStatus} lists the provider's answers the operator declares as "not executed".
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failover(List<String> to, List<Integer> onStatus) {
        public static final int MAX_TARGETS = 3;

        public Failover {
            to = to == null ? List.of() : List.copyOf(to);
            onStatus = onStatus == null ? List.of() : List.copyOf(onStatus);
        }
    }
}
