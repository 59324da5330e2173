package io.integrationhub.registry.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.registry.Ids;
import io.integrationhub.registry.Json;
import java.time.Clock;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * Appends CloudEvents 1.0 (structured JSON) to the outbox inside the caller's transaction, so an
 * event exists exactly when its change committed. Callers pass data without credentials or bodies.
 */
public final class OutboxWriter {
    public static final String SOURCE = "/integration-hub";
    private static final String EVENT_TYPE_PREFIX = "io.integrationhub.";

    private final Clock clock;

    public OutboxWriter(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param aggregateKey the Kafka key and ordering unit (the provider id)
     * @param type the short event type, e.g. {@code provider.created}
     */
    public void append(Handle handle, String aggregateKey, String type, String tenantId, ObjectNode data) {
        Instant now = clock.instant();
        String eventId = Ids.newId();
        ObjectNode event = Json.mapper()
                .createObjectNode()
                .put("specversion", "1.0")
                .put("id", eventId)
                .put("source", SOURCE)
                .put("type", EVENT_TYPE_PREFIX + type)
                .put("subject", aggregateKey)
                .put("time", now.toString())
                .put("datacontenttype", "application/json")
                .put("tenantid", tenantId);
        event.set("data", data);
        String payload;
        try {
            payload = Json.mapper().writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + type + " could not be serialized", e);
        }
        handle.createUpdate("""
                INSERT INTO outbox (event_id, aggregate_key, type, payload, created_at)
                VALUES (:eventId, :key, :type, CAST(:payload AS jsonb), :now)""")
                .bind("eventId", eventId)
                .bind("key", aggregateKey)
                .bind("type", type)
                .bind("payload", payload)
                .bind("now", now)
                .execute();
    }
}
