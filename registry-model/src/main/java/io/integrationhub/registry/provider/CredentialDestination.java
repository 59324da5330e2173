package io.integrationhub.registry.provider;

import io.integrationhub.registry.validation.ValidationException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Stored credentials never follow a moved destination. A write that keeps them (no
 * {@code auth.credentials}) may not change where they are sent: the scheme, host or port of
 * {@code baseUrl} (every injected credential goes there), or {@code auth.tokenUrl} (the OAuth2
 * client secret goes there). Otherwise anyone allowed to edit a provider could point it at their
 * own server and read the "write-only" secret from the next call. Whoever moves a provider proves
 * they hold its credentials by sending them in the same write.
 */
public final class CredentialDestination {
    /** The rule's name, in every refusal, so that a client can tell it from other validation errors. */
    public static final String RULE = "credentials-follow-destination";

    private CredentialDestination() {}

    /**
     * @throws ValidationException naming the field when {@code next} keeps {@code current}'s stored
     *     credentials but sends them somewhere else
     */
    public static void requireUnmoved(Provider current, ProviderSpec next) {
        if (next.credentials() != null || current.sealedCredentials() == null) {
            return; // new credentials given, or none stored that could leak
        }
        moved(
                        current.baseUrl(),
                        current.auth().tokenUrl(),
                        next.baseUrl(),
                        next.auth().tokenUrl())
                .ifPresent(field -> {
                    throw ValidationException.of(
                            field,
                            "changes where the stored credentials are sent (" + RULE
                                    + "): send auth.credentials in the same write");
                });
    }

    /** The field whose change moves the credentials ({@code baseUrl} or {@code auth.tokenUrl}), if any. */
    public static Optional<String> moved(String baseUrl, String tokenUrl, String nextBaseUrl, String nextTokenUrl) {
        if (!Objects.equals(origin(baseUrl), origin(nextBaseUrl))) {
            return Optional.of("baseUrl");
        }
        if (!Objects.equals(tokenUrl, nextTokenUrl)) {
            return Optional.of("auth.tokenUrl");
        }
        return Optional.empty();
    }

    /** scheme://host:port with the default port filled in and case folded; the text itself when it does not parse. */
    static String origin(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port =
                    uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
            String host = uri.getHost() == null
                    ? String.valueOf(uri.getAuthority())
                    : uri.getHost().toLowerCase(Locale.ROOT);
            return scheme + "://" + host + ":" + port;
        } catch (java.net.URISyntaxException e) {
            return url;
        }
    }
}
