package io.integrationhub.dataplane.call;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.egress.HostResolver;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A payment must never be charged twice because a module retried (Stripe / IETF Idempotency-Key semantics). */
@Tag("hub")
class IdempotencyTest {
    private static final String CALL = "/api/v1/integrations/call";
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static WireMockServer provider;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        hub = TestHub.start(
                Map.of(), new Hub.Options(new RecordingSleeper(CLOCK), CLOCK, HostResolver.SYSTEM, new SecureRandom()));
        Providers.create(
                hub,
                "shop",
                Providers.local(
                        "psp",
                        provider.port(),
                        "{\"type\":\"bearer\",\"credentials\":{\"token\":\"t\"}}",
                        "\"retry\": {\"maxAttempts\": 2}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
    }

    @AfterAll
    static void stop() {
        hub.close();
        provider.stop();
    }

    @BeforeEach
    void reset() {
        provider.resetAll();
    }

    private static Answer charge(String key, String amount) {
        return hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token("shop", Scope.CALL),
                        """
                {"provider": "psp", "method": "POST", "path": "/v1/charges", "body": {"amount": %s},
                 "idempotencyKey": "%s"}""".formatted(amount, key),
                        Map.of("Content-Type", "application/json"));
    }

    private static int upstreamRequests() {
        return provider.findAll(anyRequestedFor(urlPathEqualTo("/v1/charges"))).size();
    }

    @Test
    void twoConcurrentCallsWithOneKeyReachTheProviderOnce() throws Exception {
        provider.stubFor(any(urlPathEqualTo("/v1/charges"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"id\":\"ch_c\"}")
                        .withFixedDelay(400)));
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Answer>> calls = List.of(
                CompletableFuture.supplyAsync(() -> awaitThen(go, () -> charge("concurrent-1", "100"))),
                CompletableFuture.supplyAsync(() -> awaitThen(go, () -> charge("concurrent-1", "100"))));
        go.countDown();
        List<Answer> answers = calls.stream().map(CompletableFuture::join).toList();
        assertThat(upstreamRequests()).isEqualTo(1);
        assertThat(answers).extracting(Answer::status).contains(200);
        Answer other = answers.stream()
                .filter(a ->
                        a.status() != 200 || a.header("X-Idempotent-Replay").isPresent())
                .findFirst()
                .orElse(answers.get(1));
        if (other.status() == 409) {
            assertThat(other.json().path("type").asText()).isEqualTo("idempotency-conflict");
        } else {
            assertThat(other.header("X-Idempotent-Replay")).contains("true");
        }
    }

    @Test
    void aCompletedCallIsReplayedByteForByteWithoutAnUpstreamRequest() {
        byte[] random = new byte[64];
        new SecureRandom().nextBytes(random);
        String body = "{\"id\":\"ch_r\",\"nonce\":\"" + HexFormat.of().formatHex(random) + "\"}";
        provider.stubFor(any(urlPathEqualTo("/v1/charges"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Request-Id", "req_9")
                        .withBody(body)));
        Answer first = charge("replay-1", "250");
        Answer second = charge("replay-1", "250");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("X-Idempotent-Replay")).isEmpty();
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body()).isEqualTo(body);
        assertThat(second.header("X-Idempotent-Replay")).contains("true");
        assertThat(second.header("Request-Id")).contains("req_9");
        assertThat(second.header("Content-Type")).contains("application/json");
        assertThat(second.header("Idempotency-Key")).contains("replay-1");
        assertThat(upstreamRequests()).isEqualTo(1);
        assertThat(provider.findAll(anyRequestedFor(urlPathEqualTo("/v1/charges")))
                        .get(0)
                        .getHeader("Idempotency-Key"))
                .isEqualTo("replay-1");
    }

    @Test
    void aProvidersRefusalIsAVerdictAndIsReplayedToo() {
        provider.stubFor(any(urlPathEqualTo("/v1/charges"))
                .willReturn(aResponse().withStatus(402).withBody("{\"error\":\"card_declined\"}")));
        assertThat(charge("declined-1", "999").status()).isEqualTo(402);
        Answer again = charge("declined-1", "999");
        assertThat(again.status()).isEqualTo(402);
        assertThat(again.body()).isEqualTo("{\"error\":\"card_declined\"}");
        assertThat(again.header("X-Idempotent-Replay")).contains("true");
        assertThat(upstreamRequests()).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        provider.stubFor(
                any(urlPathEqualTo("/v1/charges")).willReturn(aResponse().withStatus(200)));
        assertThat(charge("mismatch-1", "10").status()).isEqualTo(200);
        Answer other = charge("mismatch-1", "11");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().path("type").asText()).isEqualTo("idempotency-mismatch");
        assertThat(upstreamRequests()).isEqualTo(1);
    }

    @Test
    void aKeyedCallParkedInTheDlqRunsAgainOnceAndResolvesItsEntry() throws Exception {
        provider.stubFor(
                any(urlPathEqualTo("/v1/charges")).willReturn(aResponse().withStatus(500)));
        Answer failed = charge("parked-1", "42");
        assertThat(failed.status()).isEqualTo(502);
        String dlqId = failed.json().path("dlqEntryId").asText();
        assertThat(upstreamRequests()).isEqualTo(2);
        assertThat(dlqStatus(dlqId)).isEqualTo("pending");

        provider.resetAll();
        provider.stubFor(any(urlPathEqualTo("/v1/charges"))
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"ch_p\"}")));
        Answer recovered = charge("parked-1", "42");
        assertThat(recovered.status()).isEqualTo(201);
        assertThat(upstreamRequests()).isEqualTo(1);
        assertThat(provider.findAll(anyRequestedFor(urlPathEqualTo("/v1/charges")))
                        .get(0)
                        .getHeader("Idempotency-Key"))
                .isEqualTo("parked-1");
        assertThat(dlqStatus(dlqId)).isEqualTo("succeeded");
        assertThat(charge("parked-1", "42").header("X-Idempotent-Replay")).contains("true");
        assertThat(upstreamRequests()).isEqualTo(1);
    }

    @Test
    void aCallTheHubRefusedBeforeReachingTheProviderLeavesItsKeyFree() {
        provider.stubFor(
                any(urlPathEqualTo("/v1/charges")).willReturn(aResponse().withStatus(200)));
        hub.client()
                .send(
                        "PATCH",
                        Providers.PATH + "/psp",
                        hub.adminToken("shop"),
                        "{\"status\":\"disabled\"}",
                        Map.of("Content-Type", "application/json"));
        try {
            assertThat(charge("refused-1", "5").status()).isEqualTo(409);
        } finally {
            hub.client()
                    .send(
                            "PATCH",
                            Providers.PATH + "/psp",
                            hub.adminToken("shop"),
                            "{\"status\":\"active\"}",
                            Map.of("Content-Type", "application/json"));
        }
        assertThat(charge("refused-1", "5").status()).isEqualTo(200);
    }

    private static String dlqStatus(String id) throws Exception {
        try (Connection db = hub.database().connect();
                PreparedStatement q = db.prepareStatement("SELECT status FROM dlq_entries WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet row = q.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }

    private static <T> T awaitThen(CountDownLatch latch, java.util.function.Supplier<T> action) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return action.get();
    }
}
