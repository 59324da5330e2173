package io.integrationhub.dataplane.dlq;

import io.integrationhub.registry.dlq.RetryRequests;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves retry requests from Postgres to the retry queue: publishes the due ones, deletes them once
 * the queue confirmed, and otherwise leaves them for the next pass. Every instance runs one; they
 * share the rows ({@code FOR UPDATE SKIP LOCKED}). It runs when woken (a retry on this instance) and
 * at least every {@code pollInterval} (requests of other instances, put-off replays falling due), and
 * backs off while the queue is unreachable: a RabbitMQ outage delays replays, it loses none.
 */
public final class RetryRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RetryRelay.class.getName());
    private static final int BATCH = 100;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final RetryRequests requests;
    private final RetryQueue queue;
    private final Duration pollInterval;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean closed;
    private Thread thread;

    public RetryRelay(RetryRequests requests, RetryQueue queue, Duration pollInterval) {
        this.requests = requests;
        this.queue = queue;
        this.pollInterval = pollInterval;
    }

    public synchronized RetryRelay start() {
        thread = Thread.ofVirtual().name("dlq-retry-relay").start(this::run);
        return this;
    }

    /** Publishes soon (a retry was just requested). */
    public void wake() {
        wakeUp.release();
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        boolean failing = false;
        while (!closed) {
            try {
                int published = requests.publishDue(BATCH, queue::publish);
                if (failing) {
                    LOG.info("retry relay: publishing to the retry queue again");
                    failing = false;
                }
                backoff = Duration.ofMillis(100);
                if (published < BATCH) {
                    wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!failing) {
                    LOG.log(
                            e instanceof IOException ? Level.WARNING : Level.SEVERE,
                            "retry relay: cannot publish (" + e.getMessage() + "); the requests wait in Postgres",
                            e instanceof IOException ? null : e);
                    failing = true;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
