package io.integrationhub.dataplane.dlq;

import io.integrationhub.registry.dlq.DeadLetterPurge;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Purges expired dead letters once a day. Every instance checks hourly; the purge itself runs on
 * one instance at a time and at most daily (see {@link DeadLetterPurge}), and logs how many it
 * deleted.
 */
public final class ExpiredEntryPurger implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ExpiredEntryPurger.class.getName());
    static final Duration INTERVAL = Duration.ofDays(1);
    private static final Duration FIRST_CHECK = Duration.ofMinutes(1);
    private static final Duration CHECK_EVERY = Duration.ofHours(1);

    private final DeadLetterPurge purge;
    private Thread thread;

    public ExpiredEntryPurger(DeadLetterPurge purge) {
        this.purge = purge;
    }

    public synchronized ExpiredEntryPurger start() {
        thread = Thread.ofVirtual().name("dlq-purge").start(() -> {
            try {
                Thread.sleep(FIRST_CHECK);
                while (true) {
                    runIfDue();
                    Thread.sleep(CHECK_EVERY);
                }
            } catch (InterruptedException e) {
                // closing
            }
        });
        return this;
    }

    /** Runs the purge if it is this instance's turn; returns how many entries it deleted. */
    public OptionalInt runIfDue() {
        try {
            OptionalInt purged = purge.runIfDue(INTERVAL);
            purged.ifPresent(count -> LOG.info("dlq purge: deleted " + count + " expired dead letter(s)"));
            return purged;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dlq purge: failed; it is tried again within the hour", e);
            return OptionalInt.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
