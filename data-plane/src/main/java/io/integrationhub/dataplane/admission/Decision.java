package io.integrationhub.dataplane.admission;

import java.time.Duration;

/** Whether an attempt may go to the provider now. */
public sealed interface Decision {
    /**
     * Go ahead. {@code probe}: this attempt is the single half-open probe of the breaker;
     * {@code generation}: the breaker generation it was admitted under (results of an older
     * generation are dropped when recorded); {@code shared}: decided on the shared state (false:
     * by this instance alone), so the result is recorded where it was decided.
     */
    record Admitted(boolean probe, long generation, boolean shared) implements Decision {}

    /** Over the provider's outgoing rate limit; retry after the given wait. */
    record RateLimited(Duration retryAfter) implements Decision {}

    /** The breaker is open (or a half-open probe is running); retry after the given wait. */
    record CircuitOpen(Duration retryAfter) implements Decision {}

    /** The provider itself asked the hub to back off until then (Retry-After / rate-limit reset). */
    record ProviderThrottled(Duration retryAfter) implements Decision {}

    /** Too many calls wait for a slot on this instance already ({@link Waiters}): 503, try again shortly. */
    record QueueFull() implements Decision {}

    /** A retry was asked for, but the provider's retry budget is spent: the call goes to the DLQ. */
    record RetryBudgetExhausted() implements Decision {}
}
