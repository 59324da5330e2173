package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.credentials.OutboundAuth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which headers travel. From the caller: everything but hop-by-hop headers and those the hub owns
 * (auth, host, framing, idempotency, tracing, tenancy). Injected auth always wins over a caller's
 * header of the same name. From the provider: everything but hop-by-hop, framing and cookies.
 */
final class OutboundHeaders {
    private static final int MAX_HEADERS = 100;
    private static final int MAX_VALUE = 8192;
    static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "trailers",
            "transfer-encoding",
            "upgrade",
            "proxy-connection");
    /** Set by the hub itself, or meaningful only between the module and the hub. */
    private static final Set<String> HUB_OWNED = Set.of(
            "authorization",
            "host",
            "content-length",
            "content-type",
            "idempotency-key",
            "traceparent",
            "x-tenant-id",
            "accept-encoding",
            "cookie",
            "expect",
            "x-integration-timeout-ms",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-proto");

    private static final Set<String> NOT_RETURNED = Set.of(
            "content-length",
            "set-cookie",
            "set-cookie2",
            "date",
            "x-integration-source",
            "x-integration-attempts",
            "x-idempotent-replay");

    private OutboundHeaders() {}

    /** The caller's headers that may be forwarded, validated; header names as the caller spelled them. */
    static Map<String, List<String>> fromCaller(Map<String, List<String>> headers, String field) {
        if (headers.size() > MAX_HEADERS) {
            throw ApiException.validation(field, "must have at most " + MAX_HEADERS + " headers");
        }
        Set<String> connectionListed = new java.util.HashSet<>();
        headers.forEach((name, values) -> {
            if (name.equalsIgnoreCase("connection")) {
                values.forEach(v -> {
                    for (String token : v.split(",")) {
                        connectionListed.add(token.trim().toLowerCase(Locale.ROOT));
                    }
                });
            }
        });
        Map<String, List<String>> forwarded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (!isToken(name)) {
                throw ApiException.validation(field + "." + name, "is not a valid header name");
            }
            for (String value : values) {
                // Visible ASCII, space and tab only: anything else would be re-encoded on the way out
                // (a UTF-8 'é' reached providers as '?'), so what the provider read would not be what was sent.
                if (value.length() > MAX_VALUE || !visibleAsciiSpaceOrTab(value)) {
                    throw ApiException.validation(
                            field + "." + name,
                            "must be at most " + MAX_VALUE
                                    + " characters of visible ASCII, space or tab (no control or non-ASCII characters)");
                }
                // RFC 9110 field values neither start nor end with whitespace: sent, it is dropped or the
                // request refused by the client library, so the provider would not read what was given.
                if (!value.isEmpty() && (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1)))) {
                    throw ApiException.validation(field + "." + name, "must not start or end with a space or tab");
                }
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !HUB_OWNED.contains(lower) && !connectionListed.contains(lower)) {
                forwarded.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values);
            }
        });
        return forwarded;
    }

    // The two checks below run for every header of every call: plain loops over the characters, the same
    // rules as the regular expression [!#$%&'*+.^_`|~0-9A-Za-z-]{1,128} and a chars() stream had, without a
    // Matcher or a stream per header (both showed in the call path's allocation profile).

    /** An RFC 9110 token of 1 to 128 characters. */
    static boolean isToken(String name) {
        int length = name.length();
        if (length < 1 || length > 128) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static final String TOKEN_SYMBOLS = "!#$%&'*+.^_`|~-";

    private static boolean visibleAsciiSpaceOrTab(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * The headers on the wire: the provider's defaults, the caller's on top, injected auth on top of
     * everything, then the hub's own.
     */
    static Map<String, List<String>> compose(
            Map<String, String> defaults,
            Map<String, List<String>> caller,
            OutboundAuth auth,
            String idempotencyKey,
            String traceparent,
            String contentType) {
        Map<String, List<String>> wire = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        defaults.forEach((name, value) -> wire.put(name, List.of(value)));
        wire.putAll(caller);
        auth.headers().forEach((name, value) -> wire.put(name, List.of(value)));
        wire.put("Idempotency-Key", List.of(idempotencyKey));
        wire.put("traceparent", List.of(traceparent));
        if (contentType != null) {
            wire.put("Content-Type", List.of(contentType));
        }
        return wire;
    }

    /** The provider's response headers a caller gets back. */
    static Map<String, List<String>> fromProvider(Iterable<Map.Entry<String, List<String>>> headers) {
        Map<String, List<String>> returned = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : headers) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !NOT_RETURNED.contains(lower)) {
                returned.computeIfAbsent(header.getKey(), n -> new ArrayList<>())
                        .addAll(header.getValue());
            }
        }
        return returned;
    }
}
