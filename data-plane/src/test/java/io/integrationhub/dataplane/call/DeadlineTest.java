package io.integrationhub.dataplane.call;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, acceptance 4, on a real hub with the real clock: a provider that answers every
 * attempt 503 after 300 ms, retries every 50 ms, and a caller who waits 1 s. The call ends 504
 * {@code deadline-exceeded} at the deadline, after only the attempts that fit (0-300, 350-650,
 * and 700 until the deadline), with no dead letter. The third attempt starts as long as the
 * second ends by 900 ms, and no fourth can (each answer takes 300 ms): the count holds on a
 * loaded machine too.
 */
@Tag("hub")
class DeadlineTest {
    private static final String TENANT = "deadlines";
    private static final String API = "/api/v1/integrations";
    private static WireMockServer provider;
    private static TestHub hub;
    private static String failingId;

    @BeforeAll
    static void start() {
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        hub = TestHub.start(Map.of());
        failingId = Providers.create(
                hub,
                TENANT,
                Providers.local(
                        "failing",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"timeoutMs\": 5000, \"retry\": {\"maxAttempts\": 10, \"baseDelayMs\": 50, \"multiplier\": 1,"
                                + " \"jitterMs\": 0, \"budgetPercent\": 100},"
                                + " \"circuitBreaker\": {\"failureThreshold\": 1000}"));
        // Both routes once, answered at once, so the timed calls below do not pay for cold code paths.
        provider.stubFor(any(urlPathEqualTo("/warm")).willReturn(aResponse().withStatus(200)));
        assertThat(call("{\"provider\": \"failing\", \"method\": \"GET\", \"path\": \"/warm\"}", Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(hub.client()
                        .send("GET", API + "/proxy/failing/warm", hub.token(TENANT, Scope.CALL), null, Map.of())
                        .status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        hub.close();
        provider.stop();
    }

    @BeforeEach
    void failEveryAttemptAfter300Ms() {
        provider.resetAll();
        provider.stubFor(any(urlPathMatching("/v1/.*"))
                .willReturn(aResponse().withStatus(503).withFixedDelay(300)));
    }

    private static Answer call(String envelope, Map<String, String> headers) {
        Map<String, String> sent = new HashMap<>(headers);
        sent.put("Content-Type", "application/json");
        return hub.client().send("POST", API + "/call", hub.token(TENANT, Scope.CALL), envelope, sent);
    }

    /** What reached the provider at {@code path} (each test has its own, so nothing of another test counts). */
    private static List<LoggedRequest> received(String path) {
        return provider.findAll(anyRequestedFor(urlPathEqualTo(path)));
    }

    /** What the provider saw settles at {@code count}: the attempts cut by the deadline are not followed by others. */
    private static void providerSawExactly(String path, int count) {
        await().atMost(Duration.ofSeconds(3)).until(() -> received(path).size() >= count);
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> received(path).size() == count);
    }

    private static void assertDeadlineExceeded(Answer answer, long elapsedMillis) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(504);
        assertThat(answer.json().path("type").asText()).isEqualTo("deadline-exceeded");
        assertThat(answer.header("X-Integration-Source")).contains("hub");
        assertThat(answer.header("X-Integration-Attempts")).contains("3");
        assertThat(answer.json().path("attempts").asInt()).isEqualTo(3);
        assertThat(answer.json().has("dlqEntryId")).as("no dead letter is made").isFalse();
        assertThat(elapsedMillis).as("answered at the deadline").isBetween(900L, 1300L);
    }

    private static void noDeadLetter() {
        Answer entries = hub.client().get(API + "/dlq?provider=" + failingId, hub.token(TENANT, Scope.DLQ_READ));
        assertThat(entries.status()).isEqualTo(200);
        assertThat(entries.json().path("items")).as(entries.body()).isEmpty();
    }

    @Test
    void aOneSecondDeadlineEndsTheEnvelopeCallAt504AfterTheThreeAttemptsThatFit() {
        long started = System.nanoTime();
        Answer answer = call(
                "{\"provider\": \"failing\", \"method\": \"POST\", \"path\": \"/v1/charges\", \"body\": {},"
                        + " \"idempotencyKey\": \"order-deadline-1\"}",
                Map.of(CallDeadline.HEADER, "1000"));
        assertDeadlineExceeded(answer, (System.nanoTime() - started) / 1_000_000);
        providerSawExactly("/v1/charges", 3);
        assertThat(received("/v1/charges")).allSatisfy(request -> {
            assertThat(request.getHeader("Idempotency-Key")).isEqualTo("order-deadline-1");
            assertThat(request.containsHeader(CallDeadline.HEADER)).isFalse();
        });
        noDeadLetter();

        String metrics = hub.management().get("/metrics", null).body();
        assertThat(metrics.lines())
                .as("the outcome label")
                .anyMatch(line -> line.startsWith("integration_hub_calls_total{")
                        && line.contains("provider=\"" + failingId + "\"")
                        && line.contains("outcome=\"deadline_exceeded\""));

        // The key is left as a timed-out call leaves it: the module's retry with the same key runs again.
        provider.resetAll();
        provider.stubFor(
                any(urlPathEqualTo("/v1/charges")).willReturn(aResponse().withStatus(201)));
        Answer retried = call(
                "{\"provider\": \"failing\", \"method\": \"POST\", \"path\": \"/v1/charges\", \"body\": {},"
                        + " \"idempotencyKey\": \"order-deadline-1\"}",
                Map.of());
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        assertThat(received("/v1/charges"))
                .singleElement()
                .satisfies(request ->
                        assertThat(request.getHeader("Idempotency-Key")).isEqualTo("order-deadline-1"));
    }

    @Test
    void theEnvelopesTimeoutMsIsTheSameDeadline() {
        long started = System.nanoTime();
        Answer answer = call(
                "{\"provider\": \"failing\", \"method\": \"GET\", \"path\": \"/v1/balance\", \"timeoutMs\": 1000}",
                Map.of());
        assertDeadlineExceeded(answer, (System.nanoTime() - started) / 1_000_000);
        providerSawExactly("/v1/balance", 3);
        noDeadLetter();
    }

    @Test
    void theProxyRouteTakesTheHeaderAndNeverForwardsIt() {
        long started = System.nanoTime();
        Answer answer = hub.client()
                .send(
                        "POST",
                        API + "/proxy/failing/v1/refunds",
                        hub.token(TENANT, Scope.CALL),
                        "{\"amount\": 5}",
                        Map.of("Content-Type", "application/json", CallDeadline.HEADER, "1000"));
        assertDeadlineExceeded(answer, (System.nanoTime() - started) / 1_000_000);
        providerSawExactly("/v1/refunds", 3);
        assertThat(received("/v1/refunds"))
                .allSatisfy(request ->
                        assertThat(request.containsHeader(CallDeadline.HEADER)).isFalse());
        noDeadLetter();
    }

    @Test
    void aBadDeadlineIsAValidationProblemAndNothingIsSent() {
        for (String bad : List.of("0", "-1", "300001", "soon", "1.5")) {
            Answer envelope = call(
                    "{\"provider\": \"failing\", \"method\": \"GET\", \"path\": \"/v1/x\"}",
                    Map.of(CallDeadline.HEADER, bad));
            assertThat(envelope.status()).as(bad).isEqualTo(422);
            assertThat(envelope.json().path("type").asText()).isEqualTo("validation");
            assertThat(envelope.json().path("errors").findValuesAsText("field")).containsExactly(CallDeadline.HEADER);
            Answer proxied = hub.client()
                    .send(
                            "GET",
                            API + "/proxy/failing/v1/x",
                            hub.token(TENANT, Scope.CALL),
                            null,
                            Map.of(CallDeadline.HEADER, bad));
            assertThat(proxied.status()).as(bad).isEqualTo(422);
            assertThat(proxied.json().path("type").asText()).isEqualTo("validation");
        }
        assertThat(provider.findAll(anyRequestedFor(urlPathMatching("/v1/.*")))).isEmpty();
    }
}
