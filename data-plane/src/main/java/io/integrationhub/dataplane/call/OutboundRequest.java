package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.body.Body;
import io.integrationhub.registry.dlq.FailedRequest;
import java.util.List;
import java.util.Map;

/**
 * One request as the hub sends it to a provider, before credentials are injected: validated
 * method, path and raw query, the caller's forwardable headers, and the body as the caller sent it
 * (read from its buffer for each attempt, never held whole).
 */
record OutboundRequest(
        String method, String path, String query, Map<String, List<String>> headers, String contentType, Body body) {

    OutboundRequest {
        headers = Map.copyOf(headers);
        body = body == null ? Body.EMPTY : body;
    }

    /** A dead letter's request, replayed. */
    static OutboundRequest of(FailedRequest kept) {
        return new OutboundRequest(
                kept.method(), kept.path(), kept.query(), kept.headers(), kept.contentType(), Body.of(kept.body()));
    }

    /**
     * The request as a dead letter keeps it. The body is read whole here: a dead letter is sealed
     * as one value, so its size is bounded by {@code INTEGRATION_MAX_BODY_BYTES}.
     */
    FailedRequest toKept() {
        return new FailedRequest(method, path, query, headers, contentType, body.readAll());
    }

    /** The Content-Type sent: the caller's, or octet-stream for a body without one. */
    String effectiveContentType() {
        return contentType != null ? contentType : body.size() > 0 ? "application/octet-stream" : null;
    }

    @Override
    public String toString() {
        return "OutboundRequest[" + method + " " + path + ", " + body.size() + " body bytes]";
    }
}
