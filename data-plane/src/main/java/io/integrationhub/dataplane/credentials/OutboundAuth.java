package io.integrationhub.dataplane.credentials;

import java.util.List;
import java.util.Map;

/**
 * What authentication adds to one outbound request: headers that replace any header of the same
 * name the caller sent, and query parameters appended to the query.
 */
public record OutboundAuth(Map<String, String> headers, List<Map.Entry<String, String>> queryParameters) {
    public static final OutboundAuth NONE = new OutboundAuth(Map.of(), List.of());

    @Override
    public String toString() {
        return "OutboundAuth[headers=" + headers.keySet() + ", query=" + queryParameters.size() + "]";
    }
}
