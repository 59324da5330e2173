package io.integrationhub.dataplane.events;

import io.integrationhub.registry.outbox.OutboxEvent;
import java.io.IOException;
import java.util.List;

/** Where the outbox relay sends events: Kafka in production, the log in standalone mode. */
public interface EventPublisher extends AutoCloseable {
    /**
     * Publishes the events in the given order and returns only once every one is acknowledged
     * (Kafka: acks=all). Throws when it cannot; the relay then offers the same events again.
     */
    void publish(List<OutboxEvent> events) throws IOException, InterruptedException;

    @Override
    void close();
}
