package io.integrationhub.registry.provider;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
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
        Failover failover,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Priority> priorities,
        PriorityShares priorityShares,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> moduleLimits,
        Integer maxQueueMs) {

    public static final int DEFAULT_TIMEOUT_MS = 10_000;
    public static final int MAX_TIMEOUT_MS = 30_000;
    /** A streamed answer (an LLM's events, a report download) may pause this long at most between chunks. */
    public static final int MAX_STREAM_IDLE_TIMEOUT_MS = 300_000;
    /** A call may wait this long at most for a slot of the provider's limit instead of getting 429. */
    public static final int MAX_QUEUE_MS = 30_000;

    public ProviderConfig {
        defaultHeaders = defaultHeaders == null ? Map.of() : Map.copyOf(defaultHeaders);
        priorities = priorities == null ? Map.of() : Map.copyOf(priorities);
        moduleLimits = moduleLimits == null ? Map.of() : Map.copyOf(moduleLimits);
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
                null,
                null,
                null,
                null,
                null);
    }

    /** A config that starts from {@link #defaults()}: set only what differs. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** A config like this one but for what the builder changes. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The module's class at this provider: as {@code priorities} lists it, else {@code default}. */
    public Priority priorityOf(String module) {
        return priorities.getOrDefault(module, Priority.DEFAULT);
    }

    /** The shares in force: the provider's own, else {@link PriorityShares#defaults()}. */
    public PriorityShares effectivePriorityShares() {
        return priorityShares == null ? PriorityShares.defaults() : priorityShares;
    }

    /** How long a call may wait for a slot of the limit instead of getting 429: 0 (refuse at once) unless set. */
    public int effectiveMaxQueueMs() {
        return maxQueueMs == null ? 0 : maxQueueMs;
    }

    /** The module's own calls-per-second cap inside the provider's limit, if it has one. */
    public Integer moduleLimit(String module) {
        return moduleLimits.get(module);
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

    /** A module's class at a provider: which share of the provider's limit its calls may fill. */
    public enum Priority {
        CRITICAL,
        DEFAULT,
        BATCH;

        @JsonValue
        public String wire() {
            return WireName.of(this);
        }

        @JsonCreator
        public static Priority ofWire(String wire) {
            return WireName.parse(Priority.class, wire)
                    .orElseThrow(() -> new IllegalArgumentException("unknown priority " + wire));
        }
    }

    /**
     * Per class, the share of the provider's limit its calls may fill: a call of class c is admitted
     * only while the provider's calls in the rolling second stay below {@code limit * share(c)}, so
     * lower classes leave headroom that higher ones can always use. Each in (0, 1], not increasing
     * from critical to batch.
     */
    public record PriorityShares(
            double critical, @JsonProperty("default") double normal, double batch) {
        public static PriorityShares defaults() {
            return new PriorityShares(1.0, 0.9, 0.5);
        }

        public double of(Priority priority) {
            return switch (priority) {
                case CRITICAL -> critical;
                case DEFAULT -> normal;
                case BATCH -> batch;
            };
        }

        /** The calls per rolling second a class may fill: at least 1, so no class is shut out entirely. */
        public int limitFor(Priority priority, int rateLimitPerSec) {
            return Math.max(1, (int) Math.floor(rateLimitPerSec * of(priority)));
        }
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

    /**
     * Builds a config by name rather than by position: the record has thirteen components, most of
     * them optional, and a call of the canonical constructor is easy to misorder. The record's
     * components stay the JSON shape; the builder only spares callers the positions.
     */
    public static final class Builder {
        private int timeoutMs;
        private Integer rateLimitPerSec;
        private Retry retry;
        private CircuitBreaker circuitBreaker;
        private Integer maxConcurrency;
        private Map<String, String> defaultHeaders;
        private boolean allowPrivateNetwork;
        private Integer streamIdleTimeoutMs;
        private Failover failover;
        private Map<String, Priority> priorities;
        private PriorityShares priorityShares;
        private Map<String, Integer> moduleLimits;
        private Integer maxQueueMs;

        private Builder(ProviderConfig from) {
            timeoutMs = from.timeoutMs;
            rateLimitPerSec = from.rateLimitPerSec;
            retry = from.retry;
            circuitBreaker = from.circuitBreaker;
            maxConcurrency = from.maxConcurrency;
            defaultHeaders = from.defaultHeaders;
            allowPrivateNetwork = from.allowPrivateNetwork;
            streamIdleTimeoutMs = from.streamIdleTimeoutMs;
            failover = from.failover;
            priorities = from.priorities;
            priorityShares = from.priorityShares;
            moduleLimits = from.moduleLimits;
            maxQueueMs = from.maxQueueMs;
        }

        public Builder timeoutMs(int value) {
            timeoutMs = value;
            return this;
        }

        public Builder rateLimitPerSec(Integer value) {
            rateLimitPerSec = value;
            return this;
        }

        public Builder retry(Retry value) {
            retry = value;
            return this;
        }

        public Builder circuitBreaker(CircuitBreaker value) {
            circuitBreaker = value;
            return this;
        }

        public Builder maxConcurrency(Integer value) {
            maxConcurrency = value;
            return this;
        }

        public Builder defaultHeaders(Map<String, String> value) {
            defaultHeaders = value;
            return this;
        }

        public Builder allowPrivateNetwork(boolean value) {
            allowPrivateNetwork = value;
            return this;
        }

        public Builder streamIdleTimeoutMs(Integer value) {
            streamIdleTimeoutMs = value;
            return this;
        }

        public Builder failover(Failover value) {
            failover = value;
            return this;
        }

        public Builder priorities(Map<String, Priority> value) {
            priorities = value;
            return this;
        }

        public Builder priorityShares(PriorityShares value) {
            priorityShares = value;
            return this;
        }

        public Builder moduleLimits(Map<String, Integer> value) {
            moduleLimits = value;
            return this;
        }

        public Builder maxQueueMs(Integer value) {
            maxQueueMs = value;
            return this;
        }

        public ProviderConfig build() {
            return new ProviderConfig(
                    timeoutMs,
                    rateLimitPerSec,
                    retry,
                    circuitBreaker,
                    maxConcurrency,
                    defaultHeaders,
                    allowPrivateNetwork,
                    streamIdleTimeoutMs,
                    failover,
                    priorities,
                    priorityShares,
                    moduleLimits,
                    maxQueueMs);
        }
    }
}
