package io.integrationhub.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing the harness sends load to: a host:port and the exact HTTP/1.1 request bytes
 * (keep-alive), plus the status a correct answer has.
 */
public record HttpTarget(
        String name,
        String host,
        int port,
        String method,
        String path,
        Map<String, String> headers,
        byte[] body,
        int expectedStatus) {

    public HttpTarget {
        headers = new LinkedHashMap<>(headers);
        body = body == null ? new byte[0] : body;
    }

    public static HttpTarget get(String name, int port, String path, Map<String, String> headers, int expectedStatus) {
        return new HttpTarget(name, "127.0.0.1", port, "GET", path, headers, null, expectedStatus);
    }

    public static HttpTarget post(
            String name, int port, String path, Map<String, String> headers, String json, int expectedStatus) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", "application/json");
        return new HttpTarget(
                name, "127.0.0.1", port, "POST", path, h, json.getBytes(StandardCharsets.UTF_8), expectedStatus);
    }

    /** In a body, where each request gets an idempotency key never used before ({@link Wrk} fills it in). */
    public static final String FRESH_KEY = "@FRESH-KEY@";

    /** True when every request must carry a new idempotency key (the keyed path: a claim and a completion each). */
    public boolean freshKeys() {
        return new String(body, StandardCharsets.UTF_8).contains(FRESH_KEY);
    }

    /** The body with {@code key} where {@link #FRESH_KEY} stands. */
    public byte[] bodyWithKey(String key) {
        return new String(body, StandardCharsets.UTF_8).replace(FRESH_KEY, key).getBytes(StandardCharsets.UTF_8);
    }

    public HttpTarget renamed(String newName, int newExpectedStatus) {
        return new HttpTarget(newName, host, port, method, path, headers, body, newExpectedStatus);
    }

    public String url() {
        return "http://" + host + ":" + port + path;
    }

    /** The request as it goes on the wire. */
    public byte[] wire() {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append(':').append(port).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body.length > 0 || method.equals("POST")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }
}
