package io.integrationhub.dataplane.events;

import io.integrationhub.dataplane.background.BackgroundLoop;
import io.integrationhub.dataplane.background.BatchRelay;
import io.integrationhub.registry.outbox.OutboxEvent;
import io.integrationhub.registry.outbox.OutboxStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    private final OutboxStore store;
    private final EventPublisher publisher;
    private final Clock clock;
    private final Duration pollInterval;
    private volatile BackgroundLoop loop;
    private volatile boolean closed;
    private volatile boolean leader;
    /** The leader's connection, holding the lock; only the loop's thread uses it while the loop runs. */
    private Handle handle;

    private BatchRelay.Round relay;
    private Instant lastClean = Instant.EPOCH;
    private long nextLeadAttempt = System.nanoTime();

    public OutboxRelay(OutboxStore store, EventPublisher publisher, Clock clock, Duration pollInterval) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    public synchronized OutboxRelay start() {
        loop = BackgroundLoop.named("outbox-relay")
                .backoff(Duration.ofMillis(200), LEADER_RETRY)
                .whileFailing("the events wait in the outbox, in order")
                .runPaced(this::round);
        return this;
    }

    /** Whether this instance is the one publishing (health, tests). */
    public boolean isLeader() {
        return leader;
    }

    /** Whether this instance leads and cannot publish right now (health: the broker is degraded). */
    public boolean isFailing() {
        BackgroundLoop current = loop;
        return leader && current != null && current.failing();
    }

    /** Looks for new rows now instead of at the next poll. */
    public void wake() {
        BackgroundLoop current = loop;
        if (current != null) {
            current.wake();
        }
    }

    /**
     * One round: leads (or tries to, every {@link #LEADER_RETRY}), publishes a batch, cleans hourly.
     * A failed publish keeps the lead and throws (the loop backs off, the same rows go again); a
     * Postgres failure gives the lead up with its connection.
     */
    private Duration round() throws Exception {
        if (handle == null) {
            // Not woken into trying the lock more often: a wake-up is for the leader's rows.
            long untilRetry = nextLeadAttempt - System.nanoTime();
            if (untilRetry > 0) {
                return Duration.ofNanos(untilRetry);
            }
            if (!lead()) {
                nextLeadAttempt = System.nanoTime() + LEADER_RETRY.toNanos();
                return LEADER_RETRY;
            }
        }
        try {
            int published = relay.relay(BATCH);
            if (published < BATCH) {
                Instant now = clock.instant();
                if (Duration.between(lastClean, now).compareTo(CLEAN_EVERY) >= 0) {
                    clean(handle, now);
                    lastClean = now;
                }
            }
            return BatchRelay.next(published, BATCH, pollInterval);
        } catch (RuntimeException e) {
            resign();
            throw e;
        }
    }

    private boolean lead() {
        Handle fresh = store.jdbi().open();
        try {
            if (!store.tryLeadership(fresh)) {
                fresh.close();
                return false;
            }
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
        handle = fresh;
        relay = BatchRelay.of(
                max -> store.unsent(fresh, max),
                publisher::publish,
                batch -> store.markSent(
                        fresh, batch.stream().map(OutboxEvent::seq).toList(), clock.instant()));
        lastClean = Instant.EPOCH;
        leader = true;
        LOG.info("outbox relay: this instance publishes the events");
        return true;
    }

    /** Gives the lead up: unlocks (if the connection still can) and closes the connection. */
    private void resign() {
        Handle current = handle;
        if (current == null) {
            return;
        }
        leader = false;
        handle = null;
        relay = null;
        // Unlock with the interrupt flag clear: an interrupted thread's socket I/O may fail.
        boolean interrupted = Thread.interrupted();
        try {
            store.releaseLeadership(current);
        } catch (RuntimeException e) {
            // The connection is gone, and its lock with it.
            LOG.fine("outbox relay: the relay lock went with its connection");
        }
        try {
            current.close();
        } catch (RuntimeException e) {
            // closing anyway
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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

    @Override
    public synchronized void close() {
        closed = true;
        if (loop != null && loop.closeAndWait(Duration.ofSeconds(5))) {
            resign(); // the loop has ended: its connection is this thread's to close
        }
    }
}
