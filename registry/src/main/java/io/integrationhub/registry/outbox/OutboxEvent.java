package io.integrationhub.registry.outbox;

/**
 * One outbox row as the relay publishes it: {@code key} is the aggregate (provider id, the Kafka key
 * and ordering unit), {@code payload} the CloudEvent in structured JSON.
 */
public record OutboxEvent(long seq, String eventId, String key, String type, String tenantId, String payload) {
    @Override
    public String toString() {
        // The payload stays out of renderings (logs); it holds no secret, but it is not a log line either.
        return "OutboxEvent[seq=" + seq + ", id=" + eventId + ", type=" + type + ", key=" + key + "]";
    }
}
