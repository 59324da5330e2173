package io.integrationhub.registry.idempotency;

import java.util.List;
import java.util.Map;

/**
 * A provider's answer kept for replay, byte for byte. {@code body} is null when the answer was too
 * large to keep: the call is complete (it is never sent again) but a replay can give only the
 * status and headers.
 */
public record StoredResponse(int status, Map<String, List<String>> headers, byte[] body) {
    public StoredResponse {
        headers = Map.copyOf(headers);
    }

    /** Whether the body was kept (small enough) and can be replayed. */
    public boolean bodyKept() {
        return body != null;
    }

    @Override
    public String toString() {
        return "StoredResponse[" + status + ", " + (body == null ? "body not kept" : body.length + " bytes") + "]";
    }
}
