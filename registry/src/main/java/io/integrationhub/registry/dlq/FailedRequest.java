package io.integrationhub.registry.dlq;

import java.util.List;
import java.util.Map;

/**
 * The outbound request of a call, as kept for replay: everything the caller sent that the hub
 * forwards, and never the injected credentials (they are injected again on replay). {@code query}
 * is the raw query string, {@code body} the exact bytes.
 */
public record FailedRequest(
        String method, String path, String query, Map<String, List<String>> headers, String contentType, byte[] body) {

    public FailedRequest {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    @Override
    public String toString() {
        return "FailedRequest[" + method + " " + path + ", " + body.length + " body bytes]";
    }
}
