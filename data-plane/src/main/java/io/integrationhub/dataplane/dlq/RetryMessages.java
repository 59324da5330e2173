package io.integrationhub.dataplane.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.dlq.RetryRequests.RetryRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The retry queue's message body: {@code {"v":1,"id","entryId","tenantId","token"}} as JSON. It names
 * the entry and the retry it belongs to, never the request (which stays sealed in Postgres).
 */
public final class RetryMessages {
    public static final String CONTENT_TYPE = "application/json";
    private static final int VERSION = 1;

    private RetryMessages() {}

    public static byte[] encode(RetryRequest request) {
        try {
            return Json.mapper()
                    .writeValueAsBytes(Json.mapper()
                            .createObjectNode()
                            .put("v", VERSION)
                            .put("id", request.id())
                            .put("entryId", request.entryId())
                            .put("tenantId", request.tenantId())
                            .put("token", request.token()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request a body names, or empty when it is not a message of this version. */
    public static Optional<RetryRequest> decode(byte[] body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node == null || !node.isObject() || node.path("v").asInt() != VERSION) {
                return Optional.empty();
            }
            String id = text(node, "id");
            String entryId = text(node, "entryId");
            String tenantId = text(node, "tenantId");
            String token = text(node, "token");
            if (id == null || entryId == null || tenantId == null || token == null) {
                return Optional.empty();
            }
            return Optional.of(new RetryRequest(id, entryId, tenantId, token));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null
                        && value.isTextual()
                        && !value.asText().isBlank()
                        && value.asText().length() <= 200
                ? value.asText()
                : null;
    }
}
