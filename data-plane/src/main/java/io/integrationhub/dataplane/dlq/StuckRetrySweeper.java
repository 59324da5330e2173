package io.integrationhub.dataplane.dlq;

import io.integrationhub.registry.dlq.RetryRequests;
import java.time.Duration;
import java.util.logging.Level;
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
    private Thread thread;

    StuckRetrySweeper(RetryRequests retries) {
        this.retries = retries;
    }

    synchronized StuckRetrySweeper start() {
        thread = Thread.ofVirtual().name("dlq-stuck-retries").start(() -> {
            try {
                while (true) {
                    Thread.sleep(EVERY);
                    sweep();
                }
            } catch (InterruptedException e) {
                // closing
            }
        });
        return this;
    }

    void sweep() {
        try {
            RetryRequests.Swept swept = retries.requeueStuck(STUCK_AFTER);
            if (swept.queued() + swept.failed() > 0) {
                LOG.warning("dlq: " + swept.queued() + " retry(ies) whose message was lost queued again, "
                        + swept.failed() + " lost too often marked failed (retry_lost)");
            }
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "dlq: sweeping stuck retries failed (" + e.getClass().getSimpleName() + "); tried again later");
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
