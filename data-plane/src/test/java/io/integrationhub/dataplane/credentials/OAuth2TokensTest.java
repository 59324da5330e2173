package io.integrationhub.dataplane.credentials;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.integrationhub.dataplane.TestProviders;
import io.integrationhub.dataplane.egress.DestinationPolicy;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.dataplane.egress.InsecureHttpGuard;
import io.integrationhub.dataplane.egress.OutboundClients;
import io.integrationhub.registry.provider.AuthSpec;
import io.integrationhub.registry.provider.AuthType;
import io.integrationhub.registry.provider.Credentials;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.testkit.StoppedClock;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client-credentials exchange on its own: a WireMock token endpoint on loopback, an adjustable
 * clock, no hub. What each answer of the endpoint becomes, and how long a token is kept.
 */
class OAuth2TokensTest {
    private static final Credentials CREDENTIALS =
            new Credentials(Map.of("clientId", "client:1", "clientSecret", "s&cret"));
    private static WireMockServer endpoint;
    private static OutboundClients clients;

    private final StoppedClock clock = new StoppedClock(Instant.parse("2026-12-06T06:00:00Z"));
    private OAuth2Tokens tokens;

    @BeforeAll
    static void startEndpoint() {
        endpoint = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        endpoint.start();
        clients =
                new OutboundClients(HostResolver.SYSTEM, new DestinationPolicy(List.of()), new InsecureHttpGuard(true));
    }

    @AfterAll
    static void stopEndpoint() {
        endpoint.stop();
    }

    @BeforeEach
    void reset() {
        endpoint.resetAll();
        tokens = new OAuth2Tokens(clients, clock);
    }

    private static Provider provider(List<String> scopes) {
        ProviderConfig config = ProviderConfig.builder()
                .timeoutMs(2000)
                .allowPrivateNetwork(true)
                .build();
        return TestProviders.of(
                "http://127.0.0.1:1/base",
                new AuthSpec(AuthType.OAUTH2_CLIENT_CREDENTIALS, null, null, endpoint.baseUrl() + "/token", scopes),
                config);
    }

    private static void answer(int status, String body) {
        endpoint.stubFor(post(urlPathEqualTo("/token"))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    @ParameterizedTest(name = "{0} {1} -> token {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "200 | '{\"access_token\":\"t-1\",\"expires_in\":3600,\"token_type\":\"bearer\"}' | t-1",
                "200 | '{\"access_token\":\"t-2\"}'                                            | t-2",
                "200 | '{\"access_token\":\"t-3\",\"expires_in\":\"soon\"}'                    | t-3",
            })
    void aGoodAnswerIsItsAccessToken(int status, String body, String token) {
        answer(status, body);
        assertThat(tokens.token(provider(null), CREDENTIALS)).isEqualTo(token);
    }

    @ParameterizedTest(name = "{0} {1} -> {2} (retryable {3})")
    @CsvSource(
            delimiter = '|',
            value = {
                "500 | '{}'                              | the token endpoint answered 500                         | true",
                "503 | '{}'                              | the token endpoint answered 503                         | true",
                "401 | '{\"error\":\"invalid_client\"}' | the token endpoint refused the client credentials (401) | false",
                "400 | '{\"error\":\"invalid_scope\"}'  | the token endpoint refused the client credentials (400) | false",
                "200 | '{\"token_type\":\"bearer\"}'    | the token endpoint's answer has no access_token         | false",
                "200 | '{\"access_token\":\"\"}'        | the token endpoint's answer has no access_token         | false",
                "200 | '<html>login</html>'              | the token endpoint's answer is not JSON                 | false",
            })
    void aBadAnswerIsAFailureThatSaysWhetherRetryingHelps(int status, String body, String message, boolean retryable) {
        answer(status, body);
        assertThatThrownBy(() -> tokens.token(provider(null), CREDENTIALS))
                .isInstanceOfSatisfying(OAuth2Failure.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.retryable()).isEqualTo(retryable);
                    assertThat(e.status()).isEqualTo(status);
                    // Nothing of the credentials or the answer's body in the failure.
                    assertThat(e.getMessage())
                            .doesNotContain("s&cret")
                            .doesNotContain("client:1")
                            .doesNotContain("invalid");
                });
    }

    @Test
    void anUnreachableEndpointIsARetryableFailureWithoutAStatus() {
        ProviderConfig config = ProviderConfig.builder()
                .timeoutMs(2000)
                .allowPrivateNetwork(true)
                .build();
        Provider closed = TestProviders.of(
                "http://127.0.0.1:1/base",
                new AuthSpec(AuthType.OAUTH2_CLIENT_CREDENTIALS, null, null, "http://127.0.0.1:1/token", null),
                config);
        assertThatThrownBy(() -> tokens.token(closed, CREDENTIALS)).isInstanceOfSatisfying(OAuth2Failure.class, e -> {
            assertThat(e.getMessage()).isEqualTo("the token endpoint could not be reached: connection refused");
            assertThat(e.retryable()).isTrue();
            assertThat(e.status()).isNull();
        });
    }

    /** Kept until 30 s before its expiry, or half its lifetime when that is a minute or less; 5 minutes when the answer says nothing. */
    @ParameterizedTest(name = "expires_in {0} -> fetched again after {1} s")
    @CsvSource(
            delimiter = '|',
            value = {
                "3600    | 3570",
                "61      | 31",
                "60      | 30",
                "40      | 20",
                "2       | 1",
                "0       | 270",
                "-5      | 270",
                "'\"x\"' | 270",
                "null    | 270",
            })
    void aTokenIsKeptUntilShortlyBeforeItExpires(String expiresIn, long refreshAfterSeconds) {
        answer(200, "{\"access_token\":\"t\",\"expires_in\":" + expiresIn + "}");
        Provider provider = provider(null);
        tokens.token(provider, CREDENTIALS);
        clock.advance(Duration.ofSeconds(refreshAfterSeconds).minusMillis(1));
        tokens.token(provider, CREDENTIALS);
        assertThat(endpoint.getAllServeEvents()).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        tokens.token(provider, CREDENTIALS);
        assertThat(endpoint.getAllServeEvents()).hasSize(2);
    }

    @Test
    void aRefusedTokenIsForgottenUnlessAlreadyReplaced() {
        answer(200, "{\"access_token\":\"first\",\"expires_in\":3600}");
        Provider provider = provider(null);
        assertThat(tokens.token(provider, CREDENTIALS)).isEqualTo("first");
        tokens.invalidate(provider, "an-older-token");
        assertThat(tokens.token(provider, CREDENTIALS)).isEqualTo("first");
        assertThat(endpoint.getAllServeEvents()).hasSize(1);

        answer(200, "{\"access_token\":\"second\",\"expires_in\":3600}");
        tokens.invalidate(provider, "first");
        assertThat(tokens.token(provider, CREDENTIALS)).isEqualTo("second");
        assertThat(endpoint.getAllServeEvents()).hasSize(2);
    }

    @Test
    void aFailedFetchIsNotKept() {
        answer(503, "{}");
        Provider provider = provider(null);
        assertThatThrownBy(() -> tokens.token(provider, CREDENTIALS)).isInstanceOf(OAuth2Failure.class);
        answer(200, "{\"access_token\":\"after\"}");
        assertThat(tokens.token(provider, CREDENTIALS)).isEqualTo("after");
    }

    @Test
    void aNewProviderVersionGetsItsOwnToken() {
        answer(200, "{\"access_token\":\"t\",\"expires_in\":3600}");
        Provider v1 = provider(null);
        tokens.token(v1, CREDENTIALS);
        Provider v2 = new Provider(
                v1.id(),
                v1.tenantId(),
                v1.name(),
                v1.type(),
                v1.baseUrl(),
                v1.auth(),
                null,
                v1.config(),
                v1.status(),
                v1.managedBy(),
                2,
                v1.createdAt(),
                v1.updatedAt(),
                null);
        tokens.token(v2, CREDENTIALS);
        assertThat(endpoint.getAllServeEvents()).hasSize(2);
    }

    @ParameterizedTest(name = "scopes {0} -> form {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "none          | grant_type=client_credentials",
                "''            | grant_type=client_credentials",
                "read          | grant_type=client_credentials&scope=read",
                "read,write:all | grant_type=client_credentials&scope=read+write%3Aall",
            })
    void theRequestIsAFormWithBasicAuthOfTheEncodedCredentials(String scopes, String form) {
        answer(200, "{\"access_token\":\"t\"}");
        List<String> scopeList = scopes == null ? null : scopes.isEmpty() ? List.of() : List.of(scopes.split(","));
        tokens.token(provider(scopeList), CREDENTIALS);
        LoggedRequest request = endpoint.getAllServeEvents().getFirst().getRequest();
        assertThat(request.getBodyAsString()).isEqualTo(form);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        String basic = new String(
                Base64.getDecoder().decode(request.getHeader("Authorization").substring("Basic ".length())),
                StandardCharsets.UTF_8);
        // RFC 6749 2.3.1: each part form-encoded before Basic encoding.
        assertThat(basic).isEqualTo("client%3A1:s%26cret");
        assertThat(URLDecoder.decode(basic.split(":")[1], StandardCharsets.UTF_8))
                .isEqualTo("s&cret");
    }
}
