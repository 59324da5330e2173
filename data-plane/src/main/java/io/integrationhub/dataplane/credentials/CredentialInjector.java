package io.integrationhub.dataplane.credentials;

import io.integrationhub.registry.provider.AuthSpec;
import io.integrationhub.registry.provider.Credentials;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderRepository;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a provider's auth settings and credentials into what goes on the wire. Credentials are
 * opened once per provider version and kept decrypted in memory only.
 */
public final class CredentialInjector implements OutboundCredentials {
    private record Key(String providerId, long version) {}

    private final ProviderRepository providers;
    private final OAuth2Tokens oauth2;
    private final Map<Key, Credentials> opened = new ConcurrentHashMap<>();

    public CredentialInjector(ProviderRepository providers, OAuth2Tokens oauth2) {
        this.providers = providers;
        this.oauth2 = oauth2;
    }

    /** What to add to an outbound request to this provider. */
    @Override
    public OutboundAuth authFor(Provider provider) {
        AuthSpec auth = provider.auth();
        return switch (auth.type()) {
            case NONE -> OutboundAuth.NONE;
            case API_KEY ->
                auth.in() == AuthSpec.ApiKeyLocation.QUERY
                        ? new OutboundAuth(
                                Map.of(),
                                List.of(Map.entry(
                                        auth.name(), credentials(provider).get("apiKey"))))
                        : new OutboundAuth(
                                Map.of(auth.name(), credentials(provider).get("apiKey")), List.of());
            case BEARER -> bearer(credentials(provider).get("token"));
            case BASIC -> {
                Credentials c = credentials(provider);
                String pair = c.get("username") + ":" + c.get("password");
                yield new OutboundAuth(
                        Map.of(
                                "Authorization",
                                "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))),
                        List.of());
            }
            case OAUTH2_CLIENT_CREDENTIALS -> bearer(oauth2.token(provider, credentials(provider)));
        };
    }

    /** After a 401 from an OAuth2 provider: drop the token that was refused. Returns whether a retry makes sense. */
    @Override
    public boolean refusedToken(Provider provider, OutboundAuth refused) {
        if (provider.auth().type() != io.integrationhub.registry.provider.AuthType.OAUTH2_CLIENT_CREDENTIALS) {
            return false;
        }
        String header = refused.headers().get("Authorization");
        oauth2.invalidate(provider, header.substring("Bearer ".length()));
        return true;
    }

    private static OutboundAuth bearer(String token) {
        return new OutboundAuth(Map.of("Authorization", "Bearer " + token), List.of());
    }

    private Credentials credentials(Provider provider) {
        Key key = new Key(provider.id(), provider.version());
        Credentials credentials = opened.get(key);
        if (credentials == null) {
            // Older versions of this provider will not be used again.
            opened.keySet().removeIf(k -> k.providerId().equals(provider.id()) && k.version() != provider.version());
            credentials = opened.computeIfAbsent(key, k -> providers.openCredentials(provider));
        }
        return credentials;
    }
}
