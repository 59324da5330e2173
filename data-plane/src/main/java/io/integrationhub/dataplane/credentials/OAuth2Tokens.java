package io.integrationhub.dataplane.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.integrationhub.dataplane.egress.NetworkErrors;
import io.integrationhub.dataplane.egress.OutboundClients;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.provider.Credentials;
import io.integrationhub.registry.provider.Provider;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * OAuth2 client-credentials tokens per provider version: fetched once however many callers want one
 * at the same moment, kept until shortly before they expire, and dropped when the provider answers
 * 401 so the next attempt fetches a fresh one.
 */
public final class OAuth2Tokens {
    /** Refresh this long before the token's stated expiry, so a token never expires in flight. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private record Key(String providerId, long version) {}

    private record Token(String value, Instant refreshAt) {}

    private final OutboundClients clients;
    private final Clock clock;
    private final Map<Key, CompletableFuture<Token>> tokens = new ConcurrentHashMap<>();

    public OAuth2Tokens(OutboundClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    /** A valid access token for the provider, fetching one if none is cached or it is about to expire. */
    public String token(Provider provider, Credentials credentials) {
        Key key = new Key(provider.id(), provider.version());
        while (true) {
            CompletableFuture<Token> mine = new CompletableFuture<>();
            CompletableFuture<Token> current = tokens.compute(key, (k, existing) -> {
                if (existing == null
                        || existing.isCompletedExceptionally()
                        || (existing.isDone() && !existing.join().refreshAt().isAfter(clock.instant()))) {
                    return mine;
                }
                return existing;
            });
            if (current == mine) {
                try {
                    mine.complete(fetch(provider, credentials));
                } catch (RuntimeException e) {
                    mine.completeExceptionally(e);
                    tokens.remove(key, mine);
                    throw e;
                }
            }
            try {
                return current.get().value();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof OAuth2Failure failure) {
                    throw failure;
                }
                throw new OAuth2Failure("the token request failed", true, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OAuth2Failure("interrupted while waiting for a token", true, null);
            }
        }
    }

    /** The provider refused {@code token} (401): forget it, unless another caller already replaced it. */
    public void invalidate(Provider provider, String token) {
        Key key = new Key(provider.id(), provider.version());
        CompletableFuture<Token> current = tokens.get(key);
        if (current != null
                && current.isDone()
                && !current.isCompletedExceptionally()
                && current.join().value().equals(token)) {
            tokens.remove(key, current);
        }
    }

    private Token fetch(Provider provider, Credentials credentials) {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (provider.auth().scopes() != null && !provider.auth().scopes().isEmpty()) {
            form.append("&scope=")
                    .append(URLEncoder.encode(String.join(" ", provider.auth().scopes()), StandardCharsets.UTF_8));
        }
        String basic = Base64.getEncoder()
                .encodeToString((form(credentials.get("clientId")) + ":" + form(credentials.get("clientSecret")))
                        .getBytes(StandardCharsets.UTF_8));
        Instant requestedAt = clock.instant();
        try (HttpClientResponse response = clients.forProvider(provider.config().allowPrivateNetwork())
                .method(Method.POST)
                .uri(provider.auth().tokenUrl())
                .readTimeout(Duration.ofMillis(provider.config().timeoutMs()))
                .header(HeaderNames.AUTHORIZATION, "Basic " + basic)
                .header(HeaderNames.ACCEPT, "application/json")
                .header(HeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded")
                .submit(form.toString().getBytes(StandardCharsets.UTF_8))) {
            int status = response.status().code();
            byte[] body = response.entity().as(byte[].class);
            if (status >= 500) {
                throw new OAuth2Failure("the token endpoint answered " + status, true, status);
            }
            if (status != 200) {
                throw new OAuth2Failure(
                        "the token endpoint refused the client credentials (" + status + ")", false, status);
            }
            JsonNode json = Json.mapper().readTree(body);
            String accessToken = json.path("access_token").asText("");
            if (accessToken.isEmpty()) {
                throw new OAuth2Failure("the token endpoint's answer has no access_token", false, status);
            }
            Duration lifetime = json.path("expires_in").canConvertToLong()
                            && json.path("expires_in").asLong() > 0
                    ? Duration.ofSeconds(json.path("expires_in").asLong())
                    : DEFAULT_LIFETIME;
            Duration margin =
                    lifetime.compareTo(EXPIRY_MARGIN.multipliedBy(2)) > 0 ? EXPIRY_MARGIN : lifetime.dividedBy(2);
            return new Token(accessToken, requestedAt.plus(lifetime).minus(margin));
        } catch (OAuth2Failure e) {
            throw e;
        } catch (IOException e) {
            throw new OAuth2Failure("the token endpoint's answer is not JSON", false, 200);
        } catch (RuntimeException e) {
            throw new OAuth2Failure(
                    "the token endpoint could not be reached: " + NetworkErrors.describe(e), true, null);
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
