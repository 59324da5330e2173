package io.integrationhub.dataplane.call.failover;

import java.util.Collection;
import java.util.Optional;

/**
 * Whether a call may leave a provider for the next one on its route: only when no attempt at that
 * provider may have executed it. A provider that might have acted (a timeout, a connection reset
 * mid-answer, any answer the operator did not declare "not executed") keeps the call — its own
 * retries with the same idempotency key, then the dead letter queue — because sending it
 * elsewhere could execute it twice (a second charge, a second SMS).
 */
public final class MoveOn {
    private MoveOn() {}

    /** Why a call moved on; the {@link #label()} is the bounded {@code reason} of metrics and events. */
    public enum Reason {
        /** The hub refused the first attempt: the provider's shared breaker is open. */
        CIRCUIT_OPEN("circuit_open"),
        /** The hub refused the first attempt: the provider's shared rate limit is spent. */
        RATE_LIMITED("rate_limited"),
        /** The hub refused the first attempt: the provider asked the hub to wait (Retry-After). */
        PAUSED("paused"),
        /** The first attempt failed before any byte reached the provider (connection refused, DNS, TLS handshake). */
        NOT_CONNECTED("not_connected"),
        /** The provider answered a status its route declares as "not executed". */
        ON_STATUS("on_status");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What happened to one attempt at a provider, as far as the rule cares. */
    public sealed interface Happened {
        /** The hub refused to send it. */
        record Refused(Refusal refusal) implements Happened {}

        /** It failed before anything was sent: no connection, no name, no TLS session. */
        record NotConnected() implements Happened {}

        /** It was sent and no answer came in time. */
        record TimedOut() implements Happened {}

        /** It was sent and the connection broke (reset mid-answer, or any network failure not proven to precede sending). */
        record Broken() implements Happened {}

        /** The provider answered. */
        record Answered(int status) implements Happened {}
    }

    /** Why the hub refused to send an attempt. */
    public enum Refusal {
        CIRCUIT_OPEN,
        RATE_LIMITED,
        PAUSED,
        RETRY_BUDGET,
        OTHER
    }

    /**
     * The rule.
     *
     * @param sentBefore attempts already sent to this provider before this one (any of them may have executed)
     * @param happened what happened to this attempt
     * @param onStatus the answers this provider's route declares as "not executed"
     * @return why the call may move on now, or empty when it stays with this provider
     */
    public static Optional<Reason> after(int sentBefore, Happened happened, Collection<Integer> onStatus) {
        if (sentBefore > 0) {
            // An earlier attempt may have executed: whatever this one did, the call stays here.
            return Optional.empty();
        }
        return switch (happened) {
            case Happened.Refused refused ->
                switch (refused.refusal()) {
                    case CIRCUIT_OPEN -> Optional.of(Reason.CIRCUIT_OPEN);
                    case RATE_LIMITED -> Optional.of(Reason.RATE_LIMITED);
                    case PAUSED -> Optional.of(Reason.PAUSED);
                    // The retry budget only ever refuses a retry, which follows an attempt that may have executed.
                    case RETRY_BUDGET, OTHER -> Optional.empty();
                };
            case Happened.NotConnected notConnected -> Optional.of(Reason.NOT_CONNECTED);
            case Happened.TimedOut timedOut -> Optional.empty();
            case Happened.Broken broken -> Optional.empty();
            case Happened.Answered answered ->
                onStatus.contains(answered.status()) ? Optional.of(Reason.ON_STATUS) : Optional.empty();
        };
    }
}
