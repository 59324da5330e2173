package io.integrationhub.dataplane.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.integrationhub.dataplane.GrpcClient;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.RawHttp;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.grpc.v1.ListProvidersRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("hub")
class AuthenticationTest {
    private static final String PATH = "/api/v1/integrations/providers";
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(Map.of());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static Answer list(String token, Map<String, String> headers) {
        return hub.client().send("GET", PATH, token, null, headers);
    }

    private static void assertProblem(Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).contains("application/problem+json");
        assertThat(answer.json().path("type").asText()).isEqualTo(type);
        assertThat(answer.header("X-Integration-Source")).contains("hub");
    }

    private static String hs256(JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .subject("s")
                .claim("tenant", "t1")
                .claim("scope", "providers:read")
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    @Test
    void aMissingOrBrokenTokenIs401WithAChallenge() throws Exception {
        Answer none = list(null, Map.of());
        assertProblem(none, 401, "unauthorized");
        assertThat(none.header("WWW-Authenticate")).contains("Bearer");
        assertProblem(list(null, Map.of("Authorization", "Basic dXNlcjpwYXNz")), 401, "unauthorized");
        assertProblem(list("not-a-jwt", Map.of()), 401, "unauthorized");
        assertProblem(
                list(hs256(claims().build(), "another-secret-of-at-least-thirty-two-bytes"), Map.of()),
                401,
                "unauthorized");
        assertProblem(
                list(
                        hs256(
                                claims().expirationTime(Date.from(Instant.now().minusSeconds(120)))
                                        .build(),
                                TestHub.JWT_SECRET),
                        Map.of()),
                401,
                "unauthorized");
        assertProblem(
                list(hs256(claims().expirationTime(null).build(), TestHub.JWT_SECRET), Map.of()), 401, "unauthorized");
        Answer noTenant = list(hs256(claims().claim("tenant", null).build(), TestHub.JWT_SECRET), Map.of());
        assertProblem(noTenant, 401, "unauthorized");
        assertThat(noTenant.json().path("detail").asText()).contains("tenant");
        assertProblem(list(new PlainJWT(claims().build()).serialize(), Map.of()), 401, "unauthorized");
        for (String badTenant : new String[] {"\u0000", "a b", "x".repeat(64), "../t"}) {
            assertProblem(
                    list(hs256(claims().claim("tenant", badTenant).build(), TestHub.JWT_SECRET), Map.of()),
                    401,
                    "unauthorized");
        }
    }

    @Test
    void anAuthorizationHeaderSentTwiceIsRefusedOnEveryRouteAndOverGrpc() throws Exception {
        String good = hub.token("t1", Scope.PROVIDERS_READ, Scope.CALL);
        String other = hub.token("t2", Scope.PROVIDERS_READ, Scope.CALL);
        for (List<String> pair : List.of(
                List.of(good, other), List.of(good, good), List.of(good, "garbage"), List.of("garbage", good))) {
            List<Map.Entry<String, String>> twice = pair.stream()
                    .map(token -> Map.entry("Authorization", "Bearer " + token))
                    .toList();
            Answer rest = hub.client().send("GET", PATH, null, null, twice);
            assertProblem(rest, 400, "malformed-request");
            assertThat(rest.json().path("detail").asText()).contains("Authorization");
            Answer proxy = hub.client().send("GET", "/api/v1/integrations/proxy/any/x", null, null, twice);
            assertProblem(proxy, 400, "malformed-request");
            // The JDK client drops Proxy-Authorization on direct requests: written by hand.
            String proxyTwice = RawHttp.exchange(
                    hub.hub().port(),
                    "GET /api/v1/integrations/proxy/any/x HTTP/1.1\r\nHost: hub\r\n" + "Proxy-Authorization: Bearer "
                            + pair.get(0) + "\r\nProxy-Authorization: Bearer " + pair.get(1));
            assertThat(RawHttp.status(proxyTwice)).as(proxyTwice).isEqualTo(400);
            assertThat(proxyTwice).contains("malformed-request").contains("Proxy-Authorization");

            Metadata metadata = new Metadata();
            pair.forEach(token -> metadata.put(
                    Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token));
            try (GrpcClient grpc = new GrpcClient(hub.hub().grpcPort())) {
                assertThatThrownBy(() -> grpc.stub(metadata).listProviders(ListProvidersRequest.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).contains("authorization");
                        });
            }
        }
        assertThat(list(good, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutTheScopeIs403() {
        assertThat(list(hub.token("t1", Scope.PROVIDERS_READ), Map.of()).status())
                .isEqualTo(200);
        assertProblem(list(hub.token("t1", Scope.CALL, Scope.DLQ_READ), Map.of()), 403, "forbidden");
        Answer write = hub.client().post(PATH, hub.token("t1", Scope.PROVIDERS_READ), "{}");
        assertProblem(write, 403, "forbidden");
        assertThat(write.json().path("detail").asText()).contains("providers:write");
    }

    @Test
    void theTenantHeaderMustMatchTheToken() {
        String token = hub.token("t1", Scope.PROVIDERS_READ);
        assertThat(list(token, Map.of("X-Tenant-ID", "t1")).status()).isEqualTo(200);
        assertProblem(list(token, Map.of("X-Tenant-ID", "t2")), 403, "tenant-mismatch");
        assertProblem(list(token, Map.of("X-Tenant-ID", "bad tenant!")), 422, "validation");
    }

    @Test
    void rs256TokensAreVerifiedWithKeysFromTheJwksUrl() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        WireMockServer jwks =
                new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        jwks.start();
        try {
            jwks.stubFor(get("/jwks.json")
                    .willReturn(aResponse()
                            .withHeader("Content-Type", "application/json")
                            .withBody(new JWKSet(key.toPublicJWK()).toString())));
            try (TestHub rsHub = TestHub.start(Map.of(
                    "INTEGRATION_JWT_SECRET",
                    "",
                    "INTEGRATION_JWKS_URL",
                    "http://127.0.0.1:" + jwks.port() + "/jwks.json"))) {
                Answer ok = rsHub.client().get(PATH, rs256(key));
                assertThat(ok.status()).as(ok.body()).isEqualTo(200);
                assertThat(rsHub.client().get(PATH, rs256(otherKey)).status()).isEqualTo(401);
                // With no shared secret configured, HS256 tokens are refused outright.
                assertThat(rsHub.client()
                                .get(PATH, hub.token("t1", Scope.PROVIDERS_READ))
                                .status())
                        .isEqualTo(401);
            }
        } finally {
            jwks.stop();
        }
    }

    private static String rs256(RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims().expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))))
                        .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
