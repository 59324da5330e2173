package io.integrationhub.dataplane.events;

import io.integrationhub.dataplane.config.KafkaSettings;
import io.integrationhub.registry.outbox.OutboxStore;
import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * The events of one instance, wired: the outbox relay publishing to Kafka when
 * {@code INTEGRATION_KAFKA_BOOTSTRAP} is set (topic {@code INTEGRATION_KAFKA_TOPIC}), else to the log.
 */
public final class Events implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    private final EventPublisher publisher;
    private final OutboxRelay relay;

    private Events(EventPublisher publisher, OutboxRelay relay) {
        this.publisher = publisher;
        this.relay = relay;
    }

    public static Events start(KafkaSettings kafka, Jdbi jdbi, Clock clock) {
        EventPublisher publisher =
                kafka.enabled() ? new KafkaEventPublisher(kafka.bootstrap(), kafka.topic()) : new LogEventPublisher();
        return new Events(publisher, new OutboxRelay(new OutboxStore(jdbi), publisher, clock, POLL).start());
    }

    public OutboxRelay relay() {
        return relay;
    }

    @Override
    public void close() {
        relay.close();
        publisher.close();
    }
}
