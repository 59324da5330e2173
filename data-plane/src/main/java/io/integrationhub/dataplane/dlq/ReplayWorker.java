package io.integrationhub.dataplane.dlq;

import io.integrationhub.dataplane.call.CallService;
import io.integrationhub.dataplane.call.CallService.ReplayOutcome;
import io.integrationhub.registry.db.DatabaseFailures;
import io.integrationhub.registry.dlq.DeadLetter;
import io.integrationhub.registry.dlq.DeadLetterRepository;
import io.integrationhub.registry.dlq.FailedRequest;
import io.integrationhub.registry.dlq.LastError;
import io.integrationhub.registry.dlq.RetryRequests;
import io.integrationhub.registry.dlq.RetryRequests.RetryRequest;
import io.integrationhub.registry.dlq.RetryRequests.RunClaim;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The retry queue's consumer: takes the replay lease of the entry a message names, replays the call
 * through {@link CallService#replay} (the same pipeline, the same idempotency key) and ends the
 * retry. A replay that cannot run now (limit, open circuit, key in flight, provider disabled) is put
 * off: the lease is released and the request queued again in Postgres after a growing delay, so it
 * is neither lost nor hammering the provider. Poison (undecodable, entry gone) is parked. Postgres
 * being unreachable is waited out, holding the message, instead of parking it.
 */
public final class ReplayWorker implements RetryQueue.Handler {
    private static final Logger LOG = Logger.getLogger(ReplayWorker.class.getName());
    /** How long one replay may hold its entry; past it a redelivered message may take over (a consumer died). */
    static final Duration REPLAY_LEASE = Duration.ofMinutes(15);

    private static final Duration FIRST_DEFERRAL = Duration.ofSeconds(1);
    private static final Duration MAX_DEFERRAL = Duration.ofMinutes(1);
    private static final Duration MAX_OUTAGE_BACKOFF = Duration.ofSeconds(5);

    private final RetryRequests retries;
    private final DeadLetterRepository entries;
    private final CallService calls;
    private final Runnable wakeRelay;

    public ReplayWorker(RetryRequests retries, DeadLetterRepository entries, CallService calls, Runnable wakeRelay) {
        this.retries = retries;
        this.entries = entries;
        this.calls = calls;
        this.wakeRelay = wakeRelay;
    }

    @Override
    public RetryQueue.Verdict handle(byte[] body) throws InterruptedException {
        Optional<RetryRequest> decoded = RetryMessages.decode(body);
        if (decoded.isEmpty()) {
            LOG.warning("dlq replay: an undecodable retry message (" + body.length + " bytes) is parked");
            return RetryQueue.Verdict.PARK;
        }
        RetryRequest message = decoded.get();
        Duration backoff = Duration.ofMillis(200);
        while (true) {
            try {
                return process(message);
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isUnreachable(e)) {
                    LOG.log(
                            Level.SEVERE,
                            "dlq replay: retry message " + message.id() + " for entry " + message.entryId()
                                    + " failed unexpectedly; it is parked",
                            e);
                    return RetryQueue.Verdict.PARK;
                }
                LOG.warning("dlq replay: Postgres is unreachable; retry message " + message.id() + " waits");
                Thread.sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_OUTAGE_BACKOFF) > 0
                        ? MAX_OUTAGE_BACKOFF
                        : backoff.multipliedBy(2);
            }
        }
    }

    private RetryQueue.Verdict process(RetryRequest message) {
        RunClaim claim = retries.claimRun(message, REPLAY_LEASE);
        return switch (claim) {
            case RunClaim.Gone gone -> {
                LOG.warning("dlq replay: retry message " + message.id() + " names entry " + message.entryId()
                        + ", which no longer exists; the message is parked");
                yield RetryQueue.Verdict.PARK;
            }
            case RunClaim.Stale stale -> {
                LOG.fine(() -> "dlq replay: retry message " + message.id() + " is stale (entry " + message.entryId()
                        + " is " + stale.status() + " or was retried again); dropped");
                yield RetryQueue.Verdict.DONE;
            }
            case RunClaim.Busy busy -> {
                // Another consumer is replaying it, or died doing so: look again once its lease ran out.
                retries.waitForLease(message, busy.until());
                yield RetryQueue.Verdict.DONE;
            }
            case RunClaim.Claimed claimed -> replay(message, claimed.entry());
        };
    }

    private RetryQueue.Verdict replay(RetryRequest message, DeadLetter entry) {
        ReplayOutcome outcome;
        try {
            FailedRequest request;
            try {
                request = entries.openRequest(entry);
            } catch (RuntimeException e) {
                if (DatabaseFailures.isUnreachable(e)) {
                    throw e;
                }
                LOG.log(Level.SEVERE, "dlq replay: the stored request of entry " + entry.id() + " cannot be opened", e);
                retries.finish(
                        message, new LastError("request_unreadable", null, "the stored request could not be opened"));
                return RetryQueue.Verdict.DONE;
            }
            outcome = calls.replay(entry, request);
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnreachable(e)) {
                releaseQuietly(message);
            }
            throw e;
        }
        switch (outcome) {
            case SUCCEEDED -> retries.finish(message, null);
            case FAILED ->
                retries.finish(
                        message,
                        new LastError(
                                "replay_refused",
                                null,
                                "the replay was refused before reaching the provider (the key was used for another request,"
                                        + " or the destination is not allowed)"));
            case PROVIDER_GONE ->
                retries.finish(message, new LastError("provider_gone", null, "the provider no longer exists"));
            case RETRY_LATER -> {
                if (retries.putOff(message, RetryWorkerDelays.afterDeferral(FIRST_DEFERRAL, MAX_DEFERRAL))) {
                    wakeRelay.run();
                } else {
                    LOG.warning(
                            "dlq replay: entry " + entry.id() + " could not be replayed after "
                                    + RetryRequests.MAX_DEFERRALS
                                    + " tries (limit, open circuit or disabled provider), or changed meanwhile; it is no longer retrying");
                }
            }
        }
        LOG.fine(() -> "dlq replay: entry " + entry.id() + " " + outcome);
        return RetryQueue.Verdict.DONE;
    }

    /** After a Postgres failure mid-replay: free the lease so that the next delivery can run at once. */
    private void releaseQuietly(RetryRequest message) {
        try {
            retries.putOff(message, n -> FIRST_DEFERRAL);
        } catch (RuntimeException e) {
            LOG.fine("dlq replay: the lease of entry " + message.entryId() + " is kept until it expires");
        }
    }

    /** Delays between put-off replays: 1 s, 2 s, 4 s ... up to a minute. */
    static final class RetryWorkerDelays {
        private RetryWorkerDelays() {}

        static java.util.function.IntFunction<Duration> afterDeferral(Duration first, Duration max) {
            return deferral -> {
                Duration delay = first.multipliedBy(1L << Math.min(20, Math.max(0, deferral - 1)));
                return delay.compareTo(max) > 0 ? max : delay;
            };
        }
    }
}
