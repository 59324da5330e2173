package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.api.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The whole call's deadline: how long the caller waits for the call, every attempt, backoff wait
 * and Retry-After included — not one attempt's timeout. It comes from {@value #HEADER} (both REST
 * routes), the envelope's {@code timeoutMs}, gRPC's {@code timeout_ms} and the gRPC deadline; when
 * several are given the earliest wins. Counted from the moment the caller is authenticated, so the
 * upload of a large body is part of it, as it is part of the caller's wait.
 *
 * <p>{@link #NONE} (a DLQ replay, or a caller that named none) leaves a call to its provider's
 * timeout and retry schedule alone.
 *
 * @param started when the caller was authenticated; null for {@link #NONE}
 * @param at the instant the caller stops waiting; null when the caller named no deadline
 */
public record CallDeadline(Instant started, Instant at) {
    /** The REST header naming the deadline in milliseconds; the hub's own, never forwarded upstream. */
    public static final String HEADER = "X-Integration-Timeout-Ms";
    /** The longest deadline a caller may name (5 minutes). */
    public static final int MAX_MS = 300_000;
    /**
     * No attempt starts with less than this left: it could not get an answer (a TLS handshake
     * alone takes longer), and a request that is cut at once may still have reached the provider.
     */
    public static final Duration MIN_ATTEMPT = Duration.ofMillis(50);

    /** No caller deadline. */
    public static final CallDeadline NONE = new CallDeadline(null, null);

    /** A call whose caller was authenticated at {@code started}, with no deadline named yet. */
    public static CallDeadline from(Instant started) {
        return new CallDeadline(started, null);
    }

    /**
     * This deadline, or {@code timeoutMs} after the start when that is earlier; null leaves it as
     * it is. {@code field} names the input in the validation error of a value out of range.
     */
    public CallDeadline within(Integer timeoutMs, String field) {
        if (timeoutMs == null) {
            return this;
        }
        requireInRange(timeoutMs, field);
        return earlier(started.plusMillis(timeoutMs));
    }

    /** This deadline, or {@code remaining} after the start when that is earlier (gRPC's own deadline); null leaves it. */
    public CallDeadline within(Duration remaining) {
        return remaining == null ? this : earlier(started.plus(remaining));
    }

    private CallDeadline earlier(Instant candidate) {
        return at != null && !candidate.isBefore(at) ? this : new CallDeadline(started, candidate);
    }

    /** Whether the caller named a deadline. */
    public boolean bounded() {
        return at != null;
    }

    /** The time the caller allowed, from the start to the deadline (zero or less for one gone already). */
    public Duration budget() {
        return at == null ? null : Duration.between(started, at);
    }

    /**
     * The timeout of an attempt starting {@code now}: the provider's, capped by what remains; null
     * when less than {@link #MIN_ATTEMPT} remains, so no attempt starts.
     */
    Duration attemptTimeout(Duration providerTimeout, Instant now) {
        if (at == null) {
            return providerTimeout;
        }
        Duration remaining = Duration.between(now, at);
        if (remaining.compareTo(MIN_ATTEMPT) < 0) {
            return null;
        }
        return remaining.compareTo(providerTimeout) < 0 ? remaining : providerTimeout;
    }

    /**
     * The longest a first attempt may wait for a free slot of the provider's limit: {@code maxWait},
     * or less when the deadline leaves less (an attempt's minimum kept after the wait).
     */
    Duration capWait(Duration maxWait, Instant now) {
        if (at == null) {
            return maxWait;
        }
        Duration left = Duration.between(now, at).minus(MIN_ATTEMPT);
        return left.isNegative() ? Duration.ZERO : left.compareTo(maxWait) < 0 ? left : maxWait;
    }

    /** Whether a wait of {@code wait} from {@code now} still leaves room for an attempt before the deadline. */
    boolean fits(Duration wait, Instant now) {
        return at == null || !now.plus(wait).plus(MIN_ATTEMPT).isAfter(at);
    }

    /**
     * The milliseconds of {@value #HEADER}: null when absent; a validation error unless it is one
     * whole number from 1 to {@value #MAX_MS}.
     */
    public static Integer fromHeader(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.validation(HEADER, "must be given once");
        }
        String value = values.getFirst().trim();
        if (!value.matches("[0-9]{1,9}")) {
            throw ApiException.validation(HEADER, "must be a whole number of milliseconds, 1 to " + MAX_MS);
        }
        int millis = Integer.parseInt(value);
        requireInRange(millis, HEADER);
        return millis;
    }

    private static void requireInRange(int millis, String field) {
        if (millis < 1 || millis > MAX_MS) {
            throw ApiException.validation(
                    field, "must be between 1 and " + MAX_MS + " milliseconds, but was " + millis);
        }
    }
}
