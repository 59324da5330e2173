package io.integrationhub.dataplane.dlq;

import io.integrationhub.dataplane.background.BackgroundLoop;
import io.integrationhub.registry.dlq.RetryRequests;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Every few minutes, queues again the retries whose message was lost or parked outside the hub
 * (see {@link RetryRequests#requeueStuck}): an entry is never left {@code retrying} for good. Every
 * instance sweeps; the guarded updates let only one of them act on an entry.
 */
final class StuckRetrySweeper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StuckRetrySweeper.class.getName());
    /** Longer than any replay's lease and a long queue backlog; a duplicate message is harmless anyway. */
    static final Duration STUCK_AFTER = Duration.ofHours(1);

    private static final Duration EVERY = Duration.ofMinutes(5);

    private final RetryRequests retries;
    private BackgroundLoop loop;

    StuckRetrySweeper(RetryRequests retries) {
        this.retries = retries;
    }

    synchronized StuckRetrySweeper start() {
        loop = BackgroundLoop.named("dlq-stuck-retries")
                .firstAfter(EVERY)
                .every(EVERY)
                .backoff(EVERY, EVERY)
                .whileFailing("stuck retries are swept again later")
                .run(this::sweep);
        return this;
    }

    /** One sweep; a failure (the registry is unreachable) is the loop's to log and retry. */
    void sweep() {
        RetryRequests.Swept swept = retries.requeueStuck(STUCK_AFTER);
        if (swept.queued() + swept.failed() > 0) {
            LOG.warning("dlq: " + swept.queued() + " retry(ies) whose message was lost queued again, " + swept.failed()
                    + " lost too often marked failed (retry_lost)");
        }
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
