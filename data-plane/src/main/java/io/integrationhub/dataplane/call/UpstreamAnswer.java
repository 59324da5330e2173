package io.integrationhub.dataplane.call;

import java.util.List;
import java.util.Map;

/** What the provider answered to one attempt: status, the headers a caller may see, and the body. */
record UpstreamAnswer(int status, Map<String, List<String>> headers, byte[] body) {
    @Override
    public String toString() {
        return "UpstreamAnswer[" + status + ", " + body.length + " bytes]";
    }
}
