package io.integrationhub.dataplane.events;

import io.integrationhub.registry.outbox.OutboxEvent;
import java.util.List;
import java.util.logging.Logger;

/**
 * Standalone mode's event sink: one log line per event naming it (type, id, subject, tenant), never
 * its data. The outbox and the relay are the same as with Kafka.
 */
public final class LogEventPublisher implements EventPublisher {
    private static final Logger LOG = Logger.getLogger(LogEventPublisher.class.getName());

    @Override
    public void publish(List<OutboxEvent> events) {
        for (OutboxEvent event : events) {
            LOG.info("event " + event.type() + " id=" + event.eventId() + " subject=" + event.key() + " tenant="
                    + event.tenantId() + " seq=" + event.seq());
        }
    }

    @Override
    public void close() {
        // nothing held
    }
}
