package io.integrationhub.dataplane.events;

import io.integrationhub.registry.outbox.OutboxEvent;
import io.integrationhub.registry.outbox.OutboxStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jdbi.v3.core.Handle;

/**
 * Publishes the outbox: unsent rows in {@code seq} order, marked sent only after the publisher
 * returned (every record acknowledged). A failed batch is not skipped: the relay backs off and
 * sends the same rows again, so a broker outage delays events without losing or reordering them.
 *
 * <p>One relay at a time across all instances: the leader holds a Postgres advisory lock on its own
 * connection (released when the instance stops or its connection dies), and the others try again
 * every few seconds. One ordered stream is simple and fast enough for these volumes; several relays
 * with {@code SKIP LOCKED} would have to keep every provider's rows on one relay to keep its order.
 * The leader also deletes sent rows after {@link #RETENTION}.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());
    /** How long sent rows are kept (for audits and re-publishing by hand). */
    public static final Duration RETENTION = Duration.ofDays(7);

    private static final int BATCH = 500;
    private static final Duration LEADER_RETRY = Duration.ofSeconds(2);
    private static final Duration CLEAN_EVERY = Duration.ofHours(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final OutboxStore store;
    private final EventPublisher publisher;
    private final Clock clock;
    private final Duration pollInterval;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean closed;
    private volatile boolean leader;
    private volatile boolean failing;
    private Thread thread;

    public OutboxRelay(OutboxStore store, EventPublisher publisher, Clock clock, Duration pollInterval) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    public synchronized OutboxRelay start() {
        thread = Thread.ofVirtual().name("outbox-relay").start(this::run);
        return this;
    }

    /** Whether this instance is the one publishing (health, tests). */
    public boolean isLeader() {
        return leader;
    }

    /** Whether this instance leads and cannot publish right now (health: the broker is degraded). */
    public boolean isFailing() {
        return leader && failing;
    }

    /** Looks for new rows now instead of at the next poll. */
    public void wake() {
        wakeUp.release();
    }

    private void run() {
        while (!closed) {
            try (Handle handle = store.jdbi().open()) {
                if (store.tryLeadership(handle)) {
                    try {
                        leader = true;
                        LOG.info("outbox relay: this instance publishes the events");
                        lead(handle);
                    } finally {
                        leader = false;
                        // Unlock with the interrupt flag clear: an interrupted virtual thread's socket I/O would fail.
                        boolean interrupted = Thread.interrupted();
                        releaseQuietly(handle);
                        if (interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "outbox relay: Postgres failed (" + e.getClass().getSimpleName() + "); trying again",
                        e);
            }
            if (!pause(LEADER_RETRY)) {
                return;
            }
        }
    }

    private void lead(Handle handle) throws InterruptedException {
        Instant lastClean = Instant.EPOCH;
        Duration backoff = Duration.ofMillis(200);
        failing = false;
        while (!closed) {
            List<OutboxEvent> batch = store.unsent(handle, BATCH);
            if (!batch.isEmpty()) {
                try {
                    publisher.publish(batch);
                } catch (IOException e) {
                    if (!failing) {
                        LOG.warning("outbox relay: cannot publish (" + e.getMessage() + "); " + batch.size()
                                + "+ event(s) wait in the outbox, in order");
                        failing = true;
                    }
                    if (!pause(backoff)) {
                        return;
                    }
                    backoff =
                            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                    continue;
                }
                store.markSent(handle, batch.stream().map(OutboxEvent::seq).toList(), clock.instant());
                if (failing) {
                    LOG.info("outbox relay: publishing again");
                    failing = false;
                }
                backoff = Duration.ofMillis(200);
                if (batch.size() == BATCH) {
                    continue;
                }
            }
            Instant now = clock.instant();
            if (Duration.between(lastClean, now).compareTo(CLEAN_EVERY) >= 0) {
                clean(handle, now);
                lastClean = now;
            }
            if (wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUp.drainPermits();
            }
        }
    }

    /** Deletes rows sent more than {@link #RETENTION} ago; returns how many. */
    int clean(Handle handle, Instant now) {
        int total = 0;
        int deleted;
        do {
            deleted = store.deleteSentBefore(handle, now.minus(RETENTION), 1_000);
            total += deleted;
        } while (deleted == 1_000 && !closed);
        if (total > 0) {
            LOG.info("outbox relay: cleaned " + total + " event(s) sent more than " + RETENTION.toDays() + " days ago");
        }
        return total;
    }

    private void releaseQuietly(Handle handle) {
        try {
            store.releaseLeadership(handle);
        } catch (RuntimeException e) {
            // The connection is gone, and its lock with it.
            LOG.fine("outbox relay: the relay lock went with its connection");
        }
    }

    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return !closed;
        } catch (InterruptedException e) {
            return false;
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
