package io.integrationhub.dataplane.call;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** W3C Trace Context: keep the caller's trace id, make a new span for the hub's outbound call. */
final class Traceparent {
    private static final Pattern VALID = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String ZERO_TRACE = "0".repeat(32);

    private Traceparent() {}

    static String forOutbound(String incoming) {
        String traceId = null;
        String flags = "01";
        if (incoming != null) {
            var match = VALID.matcher(incoming.trim());
            if (match.matches() && !match.group(1).equals(ZERO_TRACE)) {
                traceId = match.group(1);
                flags = match.group(3);
            }
        }
        if (traceId == null) {
            traceId = hex(16);
        }
        return "00-" + traceId + "-" + hex(8) + "-" + flags;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zero
        return HexFormat.of().formatHex(random);
    }
}
