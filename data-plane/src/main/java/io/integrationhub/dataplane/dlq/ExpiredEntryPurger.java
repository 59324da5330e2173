package io.integrationhub.dataplane.dlq;

import io.integrationhub.dataplane.background.BackgroundLoop;
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
    private BackgroundLoop loop;

    public ExpiredEntryPurger(DeadLetterPurge purge) {
        this.purge = purge;
    }

    public synchronized ExpiredEntryPurger start() {
        loop = BackgroundLoop.named("dlq-purge")
                .firstAfter(FIRST_CHECK)
                .every(CHECK_EVERY)
                .backoff(CHECK_EVERY, CHECK_EVERY)
                .whileFailing("it is tried again within the hour")
                .run(this::purgeIfDue);
        return this;
    }

    /** Runs the purge if it is this instance's turn; returns how many entries it deleted. */
    public OptionalInt runIfDue() {
        try {
            return purgeIfDue();
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "dlq purge: failed (" + e.getClass().getName() + "); it is tried again within the hour");
            return OptionalInt.empty();
        }
    }

    private OptionalInt purgeIfDue() {
        OptionalInt purged = purge.runIfDue(INTERVAL);
        purged.ifPresent(count -> LOG.info("dlq purge: deleted " + count + " expired dead letter(s)"));
        return purged;
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
