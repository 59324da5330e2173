package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.body.Body;
import java.util.List;
import java.util.Map;

/**
 * One call as a module asked for it, whichever route it came by. {@code path} and {@code rawQuery}
 * are already percent-encoded; {@code idempotencyKey} is null when the caller gave none;
 * {@code deadline} is the caller's for the whole call ({@link CallDeadline#NONE} when none was named).
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
        CallDeadline deadline,
        String traceparent,
        List<Alternative> alternatives) {

    /** At most this many alternatives follow the primary request. */
    public static final int MAX_ALTERNATIVES = 3;

    public CallRequest {
        headers = Map.copyOf(headers);
        body = body == null ? Body.EMPTY : body;
        deadline = deadline == null ? CallDeadline.NONE : deadline;
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
    }

    /** A call without alternatives (its provider's own failover route, if any, applies). */
    public CallRequest(
            String providerRef,
            String method,
            String path,
            String rawQuery,
            Map<String, List<String>> headers,
            String contentType,
            Body body,
            String idempotencyKey,
            CallDeadline deadline,
            String traceparent) {
        this(
                providerRef,
                method,
                path,
                rawQuery,
                headers,
                contentType,
                body,
                idempotencyKey,
                deadline,
                traceparent,
                List.of());
    }

    /**
     * A full request for another provider, tried when the ones before it provably did not execute
     * the call. {@code body} is a slice of the caller's bytes, as the primary's.
     */
    public record Alternative(
            String providerRef,
            String method,
            String path,
            String rawQuery,
            Map<String, List<String>> headers,
            String contentType,
            Body body) {

        public Alternative {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            body = body == null ? Body.EMPTY : body;
        }

        @Override
        public String toString() {
            return "Alternative[" + providerRef + " " + method + " " + path + ", " + body.size() + " body bytes]";
        }
    }

    @Override
    public String toString() {
        return "CallRequest[" + providerRef + " " + method + " " + path + ", " + body.size() + " body bytes"
                + (alternatives.isEmpty() ? "" : ", " + alternatives.size() + " alternative(s)") + "]";
    }
}
