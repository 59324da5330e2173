package io.integrationhub.dataplane.credentials;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.registry.provider.AuthSpec;
import io.integrationhub.registry.provider.AuthSpec.ApiKeyLocation;
import io.integrationhub.registry.provider.AuthType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An injected query credential wins as an injected header does: a caller's query parameter of the
 * same name is refused, never sent. Appending the real key after the caller's would send
 * {@code ?api_key=X&api_key=<real>}, and which one counts is the provider's choice (many take the
 * first), so a caller could make the hub call the provider with a key of its own choosing under
 * the provider's identity, or learn how the provider treats duplicates. Names are compared after
 * percent-decoding and ignoring case, as some providers fold case.
 */
public final class QueryCredentialClash {
    private QueryCredentialClash() {}

    /**
     * @param rawQuery the caller's query as it will be sent (encoded), or null
     * @throws ApiException 422 naming the parameter, when it collides with the injected one
     */
    public static void check(AuthSpec auth, String rawQuery, String field) {
        if (auth.type() != AuthType.API_KEY
                || auth.in() != ApiKeyLocation.QUERY
                || rawQuery == null
                || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (name.toLowerCase(Locale.ROOT).equals(auth.name().toLowerCase(Locale.ROOT))) {
                throw ApiException.validation(
                        field + "." + auth.name(),
                        "is the provider's injected query credential;" + " the hub sets it, a caller may not send it");
            }
        }
    }

    private static String decode(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return name; // refused elsewhere; compared as written here
        }
    }
}
