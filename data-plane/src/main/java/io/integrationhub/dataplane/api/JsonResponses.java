package io.integrationhub.dataplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.registry.Json;

/** Sends JSON documents made by the hub itself. */
public final class JsonResponses {
    private JsonResponses() {}

    public static void send(ServerResponse res, Status status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response could not be serialized", e);
        }
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(Problems.SOURCE, "hub");
        res.send(bytes);
    }
}
