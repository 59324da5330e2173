package io.integrationhub.dataplane.admission;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.TwoHubs;
import io.integrationhub.dataplane.auth.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two data-plane instances sharing one registry and one Redis: breaker, limiter and pauses hold across both. */
@Tag("hub")
class SharedAdmissionTest {
    private static WireMockServer provider;
    private static TwoHubs hubs;
    private static TestHub a;
    private static TestHub b;

    @BeforeAll
    static void start() {
        provider = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().containerThreads(100));
        provider.start();
        hubs = TwoHubs.startWithoutBackoffSleeps();
        a = hubs.first();
        b = hubs.second();
    }

    @AfterAll
    static void stop() {
        hubs.close();
        provider.stop();
    }

    private static String create(String name, String config) {
        return Providers.create(a, "shared", Providers.local(name, provider.port(), "{\"type\":\"none\"}", config));
    }

    private static Answer call(TestHub hub, String name, String path) {
        return hub.client()
                .send(
                        "POST",
                        "/api/v1/integrations/call",
                        hub.token("shared", Scope.CALL),
                        "{\"provider\":\"" + name + "\",\"method\":\"GET\",\"path\":\"" + path + "\"}",
                        Map.of("Content-Type", "application/json"));
    }

    /** The breaker part of the provider's health, as instance a reports it. */
    private static JsonNode breaker(String name) {
        return a.client()
                .get("/api/v1/integrations/providers/" + name + "/health", a.token("shared", Scope.PROVIDERS_READ))
                .json()
                .path("breaker");
    }

    private static String breakerState(String name) {
        return breaker(name).path("state").asText();
    }

    private static boolean halfOpenDue(String name) {
        return breaker(name).path("secondsUntilHalfOpen").asInt() == 0;
    }

    private static int requests(String path) {
        return provider.findAll(anyRequestedFor(urlPathEqualTo(path))).size();
    }

    @Test
    void aCircuitOpenedThroughOneInstanceRejectsCallsThroughTheOtherAndOneProbeDecides() throws Exception {
        String id = create(
                "fragile",
                "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 5, \"openSec\": 1}");
        provider.stubFor(any(urlPathEqualTo("/fragile")).willReturn(aResponse().withStatus(500)));
        for (int i = 0; i < 5; i++) {
            assertThat(call(a, "fragile", "/fragile").status()).isEqualTo(502);
        }
        await().atMost(Duration.ofSeconds(3))
                .until(() -> breakerState("fragile").equals("open"));
        Answer rejected = call(b, "fragile", "/fragile");
        assertThat(rejected.status()).isEqualTo(503);
        assertThat(rejected.header("X-Circuit-Breaker-Open")).contains("true");
        assertThat(rejected.header("Retry-After")).contains("1");
        assertThat(rejected.json().path("type").asText()).isEqualTo("circuit-open");
        assertThat(requests("/fragile")).isEqualTo(5);

        // After openSec, 20 concurrent calls through both instances: exactly one reaches the provider (the probe).
        provider.stubFor(any(urlPathEqualTo("/fragile"))
                .willReturn(aResponse().withStatus(500).withFixedDelay(1500)));
        await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(3)).until(() -> halfOpenDue("fragile"));
        assertThat(concurrentCalls("fragile", "/fragile", 20))
                .containsEntry(503, 19L)
                .containsEntry(502, 1L);
        assertThat(requests("/fragile")).isEqualTo(6);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> breakerState("fragile").equals("open"));

        // The next probe succeeds: closed, and calls flow through both instances.
        // The probe stays in flight long enough that all 20 callers arrive while it runs, even on a slow machine.
        provider.stubFor(any(urlPathEqualTo("/fragile"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        await().pollDelay(Duration.ofMillis(1100))
                .atMost(Duration.ofSeconds(3))
                .until(() -> breakerState("fragile").equals("open") && halfOpenDue("fragile"));
        assertThat(concurrentCalls("fragile", "/fragile", 20))
                .containsEntry(200, 1L)
                .containsEntry(503, 19L);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> breakerState("fragile").equals("closed"));
        assertThat(call(b, "fragile", "/fragile").status()).isEqualTo(200);
        assertThat(call(a, "fragile", "/fragile").status()).isEqualTo(200);
        // Every transition became an event in the outbox, in order.
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(circuitEvents(id))
                        .containsSubsequence(
                                "circuit.opened",
                                "circuit.half_opened",
                                "circuit.opened",
                                "circuit.half_opened",
                                "circuit.closed"));
    }

    private static List<String> circuitEvents(String providerId) throws java.sql.SQLException {
        List<String> types = new ArrayList<>();
        try (var db = a.database().connect();
                var query = db.prepareStatement(
                        "SELECT type FROM outbox WHERE aggregate_key = ? AND type LIKE 'circuit.%' ORDER BY seq")) {
            query.setString(1, providerId);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
        }
        return types;
    }

    @Test
    void aProbeOwnerThatDiesDoesNotWedgeTheBreaker() {
        String id = create(
                "orphaned",
                "\"timeoutMs\": 3000, \"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1, \"openSec\": 1}");
        provider.stubFor(any(urlPathEqualTo("/orphaned")).willReturn(aResponse().withStatus(500)));
        assertThat(call(a, "orphaned", "/orphaned").status()).isEqualTo(502);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> breakerState("orphaned").equals("open"));
        provider.stubFor(any(urlPathEqualTo("/orphaned")).willReturn(aResponse().withStatus(200)));
        // A third instance takes the probe lease and dies without recording anything.
        try (ValkeyAdmission doomed = new ValkeyAdmission(TwoHubs.REDIS, hubs.prefix(), BreakerListener.NONE)) {
            var provider = a.hub().providerForTests("shared", id);
            await().pollDelay(Duration.ofMillis(1050))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> doomed.admit(provider, 1000, false) instanceof Decision.Admitted admitted
                            && admitted.probe());
        }
        assertThat(call(b, "orphaned", "/orphaned").status())
                .as("the lease still holds")
                .isEqualTo(503);
        await().atMost(Duration.ofSeconds(6))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> call(b, "orphaned", "/orphaned").status() == 200);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> breakerState("orphaned").equals("closed"));
    }

    @Test
    void fiftyPerSecondAcrossTwoInstancesNeverMoreInAnyRollingSecond() throws Exception {
        create("limited", "\"rateLimitPerSec\": 50, \"retry\": {\"maxAttempts\": 1}");
        provider.stubFor(any(urlPathEqualTo("/limited")).willReturn(aResponse().withStatus(200)));
        ExecutorService pool = Executors.newFixedThreadPool(40);
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        long[] startedAt = new long[400];
        long start = System.currentTimeMillis() + 200;
        for (int i = 0; i < 400; i++) {
            TestHub via = i % 2 == 0 ? a : b;
            int seq = i;
            long sendAt = start + i * 5L; // 400 calls spread over ~2 s
            answers.add(CompletableFuture.supplyAsync(
                    () -> {
                        sleep(sendAt - System.currentTimeMillis());
                        startedAt[seq] = System.currentTimeMillis();
                        return via.client()
                                .send(
                                        "POST",
                                        "/api/v1/integrations/call",
                                        via.token("shared", Scope.CALL),
                                        "{\"provider\":\"limited\",\"method\":\"GET\",\"path\":\"/limited\",\"headers\":{\"X-Seq\":\""
                                                + seq + "\"}}",
                                        Map.of("Content-Type", "application/json"));
                    },
                    pool));
        }
        List<Answer> done = answers.stream().map(CompletableFuture::join).toList();
        pool.shutdown();
        // Each admission happened after its call started and before the provider saw it. Counting only the calls
        // that certainly were admitted inside a second keeps the check exact however the machine schedules threads.
        List<long[]> admittedWithin = provider.findAll(anyRequestedFor(urlPathEqualTo("/limited"))).stream()
                .map(r -> new long[] {
                    startedAt[Integer.parseInt(r.getHeader("X-Seq"))],
                    r.getLoggedDate().getTime()
                })
                .toList();
        for (long[] first : admittedWithin) {
            long from = first[0];
            long certainlyInside = admittedWithin.stream()
                    .filter(span -> span[0] >= from && span[1] < from + 1000)
                    .count();
            assertThat(certainlyInside)
                    .as("admissions within the second from %d", from)
                    .isLessThanOrEqualTo(50);
        }
        List<Answer> limited =
                done.stream().filter(answer -> answer.status() == 429).toList();
        assertThat(done.stream().filter(answer -> answer.status() == 200).count())
                .isEqualTo(admittedWithin.size())
                .isBetween(60L, 160L);
        assertThat(limited.size() + admittedWithin.size()).isEqualTo(400);
        assertThat(limited).allSatisfy(answer -> {
            assertThat(answer.json().path("type").asText()).isEqualTo("rate-limited");
            assertThat(answer.header("Retry-After"))
                    .hasValueSatisfying(
                            value -> assertThat(Integer.parseInt(value)).isBetween(1, 1));
            assertThat(answer.header("RateLimit-Limit")).contains("50");
            assertThat(answer.header("RateLimit-Remaining")).contains("0");
        });
    }

    @Test
    void aProvidersRetryAfterPausesItForEveryInstance() {
        create("busy", "\"retry\": {\"maxAttempts\": 1}");
        provider.stubFor(any(urlPathEqualTo("/busy"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
        long pausedAt = System.currentTimeMillis();
        call(a, "busy", "/busy");
        provider.stubFor(any(urlPathEqualTo("/busy")).willReturn(aResponse().withStatus(200)));
        Answer throttled = call(b, "busy", "/busy");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.json().path("type").asText()).isEqualTo("provider-throttled");
        assertThat(throttled.json().path("retryAfterSeconds").asInt()).isBetween(1, 3);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> call(b, "busy", "/busy").status() == 200);
        assertThat(System.currentTimeMillis() - pausedAt)
                .as("paused for about 3 s")
                .isGreaterThanOrEqualTo(2500);
        assertThat(requests("/busy"))
                .as("nothing reached the provider while it was paused")
                .isEqualTo(2);
    }

    @Test
    void retriesStayWithinTheBudgetWhenEverythingFails() {
        create(
                "outage",
                "\"rateLimitPerSec\": 100000, \"retry\": {\"maxAttempts\": 5, \"budgetPercent\": 20}, \"circuitBreaker\": {\"failureThreshold\": 1000}");
        provider.stubFor(any(urlPathMatching("/outage")).willReturn(aResponse().withStatus(500)));
        for (int i = 0; i < 200; i++) {
            assertThat(call(i % 2 == 0 ? a : b, "outage", "/outage").status()).isEqualTo(502);
        }
        int upstream = requests("/outage");
        assertThat(upstream)
                .as("first attempts + at most 20%% + the floor, not 5x")
                .isBetween(200, 200 + 40 + Admission.RETRY_BUDGET_FLOOR);
    }

    private static Map<Integer, Long> concurrentCalls(String name, String path, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TestHub via = i % 2 == 0 ? a : b;
            answers.add(CompletableFuture.supplyAsync(() -> call(via, name, path), pool));
        }
        Map<Integer, Long> byStatus = new java.util.TreeMap<>();
        for (CompletableFuture<Answer> answer : answers) {
            byStatus.merge(answer.get().status(), 1L, Long::sum);
        }
        pool.shutdown();
        return byStatus;
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
