package io.integrationhub.dataplane.dlq;

import io.integrationhub.dataplane.background.BackgroundLoop;
import io.integrationhub.dataplane.background.BatchRelay;
import io.integrationhub.registry.dlq.RetryRequests;
import java.time.Duration;

/**
 * Moves retry requests from Postgres to the retry queue: publishes the due ones, deletes them once
 * the queue confirmed, and otherwise leaves them for the next pass. Every instance runs one; they
 * share the rows ({@code FOR UPDATE SKIP LOCKED}). It runs when woken (a retry on this instance) and
 * at least every {@code pollInterval} (requests of other instances, put-off replays falling due), and
 * backs off while the queue is unreachable: a RabbitMQ outage delays replays, it loses none.
 */
public final class RetryRelay implements AutoCloseable {
    private static final int BATCH = 100;

    private final RetryRequests requests;
    private final RetryQueue queue;
    private final Duration pollInterval;
    private volatile BackgroundLoop loop;

    public RetryRelay(RetryRequests requests, RetryQueue queue, Duration pollInterval) {
        this.requests = requests;
        this.queue = queue;
        this.pollInterval = pollInterval;
    }

    public synchronized RetryRelay start() {
        loop = BatchRelay.start(
                BackgroundLoop.named("dlq-retry-relay")
                        .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                        .whileFailing("the retry requests wait in Postgres"),
                BATCH,
                pollInterval,
                max -> requests.publishDue(max, queue::publish));
        return this;
    }

    /** Publishes soon (a retry was just requested). */
    public void wake() {
        BackgroundLoop current = loop;
        if (current != null) {
            current.wake();
        }
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.closeAndWait(Duration.ofSeconds(5));
        }
    }
}
