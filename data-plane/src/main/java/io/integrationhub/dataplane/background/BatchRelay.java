package io.integrationhub.dataplane.background;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The relay shape the DLQ's retry relay and the events' outbox relay share: claim a batch, publish it,
 * mark it done; at once again while batches come full, otherwise after the poll interval (or when
 * woken). A failed publish marks nothing, so the same batch is claimed again after the loop's
 * backoff: an outage of the destination delays items, it loses or reorders none.
 */
public final class BatchRelay {
    private BatchRelay() {}

    /** One round: relays up to {@code max} items and returns how many. */
    @FunctionalInterface
    public interface Round {
        int relay(int max) throws Exception;
    }

    /** Takes up to {@code max} items to publish (none: nothing is due). */
    @FunctionalInterface
    public interface Claim<T> {
        List<T> claim(int max) throws Exception;
    }

    /** Hands a batch to its destination; returns once the destination has it all. */
    @FunctionalInterface
    public interface Publish<T> {
        void publish(List<T> batch) throws IOException, InterruptedException;
    }

    /** Records that a published batch need not be sent again. */
    @FunctionalInterface
    public interface Mark<T> {
        void mark(List<T> batch) throws Exception;
    }

    /** The round made of its three parts; marks only what was published. */
    public static <T> Round of(Claim<T> claim, Publish<T> publish, Mark<T> mark) {
        return max -> {
            List<T> batch = claim.claim(max);
            if (batch.isEmpty()) {
                return 0;
            }
            publish.publish(batch);
            mark.mark(batch);
            return batch.size();
        };
    }

    /** The pause after a round that relayed {@code relayed} of {@code max}: none while batches come full. */
    public static Duration next(int relayed, int max, Duration pollInterval) {
        return relayed >= max ? Duration.ZERO : pollInterval;
    }

    /** Starts {@code loop} relaying batches of {@code max} with {@code round}. */
    public static BackgroundLoop start(BackgroundLoop.Builder loop, int max, Duration pollInterval, Round round) {
        return loop.runPaced(() -> next(round.relay(max), max, pollInterval));
    }
}
