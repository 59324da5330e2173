package io.integrationhub.dataplane.dlq;

import io.integrationhub.registry.dlq.RetryRequests.RetryRequest;
import java.io.IOException;
import java.util.List;

/**
 * The retry queue between "an operator asked for a replay" and the consumer that replays: RabbitMQ
 * (a durable quorum queue) in production, an in-process queue in standalone mode. Both take the
 * same messages and hand them to the same {@link Handler}.
 */
public interface RetryQueue extends AutoCloseable {
    /**
     * Publishes durably: returns only once the queue holds every message (publisher confirms for
     * RabbitMQ). Throws when it cannot; the requests then stay in Postgres and are offered again.
     */
    void publish(List<RetryRequest> requests) throws IOException;

    /** Starts delivering messages to {@code handler}, a bounded number at a time. */
    void start(Handler handler);

    /** Whether the queue is reachable right now (health; degraded is reported, not fatal). */
    boolean isAvailable();

    @Override
    void close();

    /** What the consumer made of one message. */
    enum Verdict {
        /** Handled (replayed, put off, or a stale duplicate dropped): acknowledge it. */
        DONE,
        /** A poison message (undecodable, entry gone): move it to the parking queue, never redeliver it. */
        PARK
    }

    /** Handles one message body. Throwing means "not handled now" (shutting down): it is delivered again. */
    @FunctionalInterface
    interface Handler {
        Verdict handle(byte[] body) throws InterruptedException;
    }
}
