package io.integrationhub.registry.idempotency;

import java.util.List;
import java.util.Map;

/** A provider's answer kept for replay, byte for byte. */
public record StoredResponse(int status, Map<String, List<String>> headers, byte[] body) {
    public StoredResponse {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "StoredResponse[" + status + ", " + body.length + " bytes]";
    }
}
