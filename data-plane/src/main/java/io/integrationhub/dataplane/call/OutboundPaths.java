package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.api.ApiException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Keeps every call on its provider's origin. The path is appended to the base URL, so it may not
 * start a new authority ({@code //}), climb out ({@code .}, {@code ..}), carry user info ({@code @}),
 * use backslashes, or hide any of these behind percent-encoding (including double encoding); the
 * composed URI is then checked to have the base URL's scheme, host and port.
 */
final class OutboundPaths {
    private static final int MAX_PATH = 4096;
    private static final int MAX_QUERY = 8192;
    private static final String PATH_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:/%";
    private static final String QUERY_CHARS = PATH_CHARS + "@?";

    private OutboundPaths() {}

    /** The path as it will be sent (percent-encoded, starting with '/'); 422 for anything that could leave the origin. */
    static String path(String path) {
        if (path == null || path.isEmpty()) {
            throw ApiException.validation("path", "is required and must start with '/'");
        }
        if (path.length() > MAX_PATH) {
            throw ApiException.validation("path", "must be at most " + MAX_PATH + " characters");
        }
        if (path.charAt(0) != '/' || path.startsWith("//")) {
            throw ApiException.validation(
                    "path", "must start with a single '/'; absolute URLs and '//' are not allowed");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (PATH_CHARS.indexOf(c) < 0) {
                throw ApiException.validation(
                        "path",
                        c == '@' || c == '\\' || c == '?' || c == '#'
                                ? "must not contain '" + c + "' (put the query in 'query')"
                                : "must be percent-encoded ASCII (character " + describe(c) + " at " + i + ")");
            }
            if (c == '%') {
                int decoded = percent(path, i, "path");
                if (decoded < 0x20 || decoded == 0x7f || "/\\.@%?#".indexOf(decoded) >= 0) {
                    throw ApiException.validation(
                            "path",
                            "must not hide '/', '\\', '.', '@', '%', '?', '#' or control"
                                    + " characters behind percent-encoding");
                }
            }
        }
        if (path.contains("//")) {
            throw ApiException.validation("path", "must not contain empty segments ('//')");
        }
        if (path.indexOf(';') >= 0) {
            // Helidon's client parses ';' as the start of matrix parameters and sends the path without them
            // (/a;b=c/d arrives as /a/d): refused rather than silently rewritten. An encoded %3B is sent as is.
            throw ApiException.validation(
                    "path",
                    "must not contain ';' (the hub cannot send path parameters exactly;"
                            + " percent-encode it as %3B if the provider expects a literal semicolon)");
        }
        for (String segment : path.split("/", -1)) {
            if (isDotSegment(segment)) {
                throw ApiException.validation(
                        "path",
                        "must not contain '.' or '..' segments (also not as '..;', '.;' or with" + " an encoded ';')");
            }
        }
        return path;
    }

    /**
     * A path and query as one string ({@code /v1/items?limit=2}): the path validated as {@link
     * #path}, the query as {@link #rawQuery}, then the query sent first, followed by {@code
     * moreQuery} (the envelope's {@code query} entries, in order).
     */
    static String[] pathAndQuery(String pathAndQuery, String moreQuery) {
        if (pathAndQuery == null) {
            return new String[] {path(null), rawQuery(moreQuery, "query")};
        }
        int question = pathAndQuery.indexOf('?');
        if (question < 0) {
            return new String[] {path(pathAndQuery), rawQuery(moreQuery, "query")};
        }
        String path = path(pathAndQuery.substring(0, question));
        String own = rawQuery(pathAndQuery.substring(question + 1), "path");
        String more = rawQuery(moreQuery, "query");
        String query = own == null ? more : more == null ? own : own + "&" + more;
        return new String[] {path, query};
    }

    /**
     * Whether a segment means "this" or "parent" to some server: {@code .} and {@code ..}, also
     * with matrix parameters ({@code ..;x}, {@code .;}) or a percent-encoded ';' after them, which
     * servers such as Tomcat resolve as dot segments. Encoded dots are refused earlier.
     */
    static boolean isDotSegment(String segment) {
        String name = segment;
        int semicolon = name.indexOf(';');
        if (semicolon >= 0) {
            name = name.substring(0, semicolon);
        }
        int encoded = name.toLowerCase(java.util.Locale.ROOT).indexOf("%3b");
        if (encoded >= 0) {
            name = name.substring(0, encoded);
        }
        return name.equals(".") || name.equals("..");
    }

    /** A raw (encoded) query string as it will be sent; null for none. */
    static String rawQuery(String query, String field) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        if (query.length() > MAX_QUERY) {
            throw ApiException.validation(field, "must be at most " + MAX_QUERY + " characters");
        }
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (QUERY_CHARS.indexOf(c) < 0) {
                throw ApiException.validation(
                        field, "must be percent-encoded ASCII without '#' (character " + describe(c) + ")");
            }
            if (c == '%') {
                percent(query, i, field);
            }
        }
        return query;
    }

    /** Encodes name/value pairs as a query string (spaces as %20). */
    static String encode(List<Map.Entry<String, String>> parameters) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> parameter : parameters) {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(component(parameter.getKey())).append('=').append(component(parameter.getValue()));
        }
        return query.toString();
    }

    /** baseUrl + path + query, checked to stay on the base URL's origin. */
    static URI compose(String baseUrl, String path, String rawQuery, List<Map.Entry<String, String>> extraQuery) {
        URI base = URI.create(baseUrl);
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        String query = rawQuery;
        if (!extraQuery.isEmpty()) {
            String extra = encode(extraQuery);
            query = query == null ? extra : query + "&" + extra;
        }
        String authority = base.getRawAuthority();
        URI uri =
                URI.create(base.getScheme() + "://" + authority + basePath + path + (query == null ? "" : "?" + query));
        if (!uri.getScheme().equalsIgnoreCase(base.getScheme())
                || !uri.getHost().equalsIgnoreCase(base.getHost())
                || uri.getPort() != base.getPort()
                || uri.getRawUserInfo() != null) {
            throw ApiException.validation("path", "would leave the provider's origin");
        }
        return uri;
    }

    private static String component(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static int percent(String text, int at, String field) {
        if (at + 2 >= text.length()
                || Character.digit(text.charAt(at + 1), 16) < 0
                || Character.digit(text.charAt(at + 2), 16) < 0) {
            throw ApiException.validation(field, "has a '%' that does not start a percent-encoded byte");
        }
        return Integer.parseInt(text.substring(at + 1, at + 3), 16);
    }

    private static String describe(char c) {
        return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }
}
