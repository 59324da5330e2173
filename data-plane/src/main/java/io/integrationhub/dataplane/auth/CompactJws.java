package io.integrationhub.dataplane.auth;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The token text a verifier accepts: three dot-separated parts in canonical base64url (RFC 7515
 * section 2: no padding, no white space, and no other spelling of the same bytes). The JOSE library
 * decodes leniently, so {@code sig=} or a changed unused trailing bit verify as the original
 * signature: one token with many spellings, each a separate cache entry and a way past any
 * exact-match deny list.
 */
final class CompactJws {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private CompactJws() {}

    static boolean isCanonical(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches() || part.length() % 4 == 1) {
                return false;
            }
            // Re-encoding what was decoded gives the text back only when the unused low bits were zero.
            if (!ENCODER.encodeToString(DECODER.decode(part)).equals(part)) {
                return false;
            }
        }
        return true;
    }
}
