package io.integrationhub.dataplane.api;

import io.integrationhub.registry.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page cursors: the id after which the next page starts, base64url-encoded so that clients
 * treat it as a token rather than build their own.
 */
public final class Cursors {
    private Cursors() {}

    public static String encode(String afterId) {
        return afterId == null
                ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(afterId.getBytes(StandardCharsets.US_ASCII));
    }

    /** The id a cursor stands for; 422 on anything this hub did not hand out. */
    public static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (Ids.looksLikeId(id)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiException.validation("cursor", "is not a cursor returned by this API");
    }

    /** The {@code limit} query parameter within 1..max, or the default. */
    public static int limit(String value, int fallback, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.validation("limit", "must be a whole number from 1 to " + max);
    }
}
