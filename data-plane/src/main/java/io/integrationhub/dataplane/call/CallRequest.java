package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.body.Body;
import java.util.List;
import java.util.Map;

/**
 * One call as a module asked for it, whichever route it came by. {@code path} and {@code rawQuery}
 * are already percent-encoded; {@code idempotencyKey} is null when the caller gave none.
 */
public record CallRequest(
        String providerRef,
        String method,
        String path,
        String rawQuery,
        Map<String, List<String>> headers,
        String contentType,
        Body body,
        String idempotencyKey,
        Integer timeoutMs,
        String traceparent) {

    public CallRequest {
        headers = Map.copyOf(headers);
        body = body == null ? Body.EMPTY : body;
    }

    @Override
    public String toString() {
        return "CallRequest[" + providerRef + " " + method + " " + path + ", " + body.size() + " body bytes]";
    }
}
