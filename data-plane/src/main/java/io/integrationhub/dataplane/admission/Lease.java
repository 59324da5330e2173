package io.integrationhub.dataplane.admission;

import java.time.Duration;

/**
 * Limiter permits of one provider that Valkey charged to this instance's window (admit.lua): the
 * instance admits calls from it without a round trip until it is spent, expires, or is dropped on
 * an event. Its first permit went to the call that asked for it. Times are this instance's
 * nanoTime, counted from when the request was SENT, so a lease never outlives Valkey's own expiry.
 */
final class Lease {
    /** The lease's member in the limiter log ({@code <lease id>/<permits>}). */
    private final String member;

    private final String providerId;
    private final Allowance allowance;
    private final int granted;
    private final long generation;
    private final long sentNanos;
    private final long untilNanos;
    private final long leaseMillis;
    private int used = 1;
    private long lastUseNanos;
    private boolean closed;
    private boolean settled;

    Lease(
            String providerId,
            String member,
            Allowance allowance,
            int granted,
            long generation,
            long sentNanos,
            Duration lease,
            long nowNanos) {
        this.providerId = providerId;
        this.member = member;
        this.allowance = allowance;
        this.granted = granted;
        this.generation = generation;
        this.sentNanos = sentNanos;
        this.leaseMillis = lease.toMillis();
        this.untilNanos = sentNanos + lease.toNanos();
        this.lastUseNanos = nowNanos;
    }

    /** What goes back to Valkey with the next request: nothing, or a lease and how it was used. */
    record Settlement(String member, int used, long earlyMillis) {
        static final Settlement NONE = new Settlement("", 0, 0);
    }

    long generation() {
        return generation;
    }

    String providerId() {
        return providerId;
    }

    /** The limits it was granted under: a call under other limits may not draw on it. */
    Allowance allowance() {
        return allowance;
    }

    /** One permit for a call now, if the lease is open, unexpired and not spent. */
    synchronized boolean take(long nowNanos) {
        if (closed || nowNanos >= untilNanos || used >= granted) {
            return false;
        }
        used++;
        lastUseNanos = nowNanos;
        return true;
    }

    /** No permit is taken from it after this; true when it still had unused permits, unexpired. */
    synchronized boolean revoke(long nowNanos) {
        closed = true;
        return used < granted && nowNanos < untilNanos;
    }

    /**
     * Closes it for good and says, once, what to send back: its unused permits leave the window at
     * once; its used ones stay, scored at most {@code earlyMillis} before its expiry, the latest its
     * last use can have been by Valkey's clock (Valkey's grant came after the send).
     * {@link Settlement#NONE} when it was settled already.
     */
    synchronized Settlement settle() {
        closed = true;
        if (settled) {
            return Settlement.NONE;
        }
        settled = true;
        long sinceSent = Duration.ofNanos(lastUseNanos - sentNanos).toMillis() + 1;
        return new Settlement(member, used, Math.max(0, leaseMillis - sinceSent));
    }

    /**
     * How many permits to ask for next: this lease's rate of use over a lease's length, so an
     * instance asks about once per lease; at most twice what it had (a busy instance doubles up
     * from 1 in a few round trips; a rate measured over microseconds says little), at least 1,
     * never more than the tightest of the allowance's limits.
     */
    synchronized int nextWant(long nowNanos, Allowance allowance, Duration lease) {
        int limit = allowance.capped() ? Math.min(allowance.limit(), allowance.moduleLimit()) : allowance.limit();
        long end = used >= granted ? lastUseNanos : Math.min(nowNanos, untilNanos);
        double elapsedMillis = Math.max(1.0, (end - sentNanos) / 1e6);
        long want = (long) Math.ceil(used * lease.toMillis() / elapsedMillis);
        return (int) Math.max(1, Math.min(Math.min(want, 2L * granted), limit));
    }
}
