package io.integrationhub.dataplane.callrecord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.call.Sleeper;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.TcpProxy;
import io.integrationhub.testkit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL lost in the middle of a call (between its idempotency claim and its end; the cut is a
 * TCP proxy of the test's own, made while the hub waits between attempts): the parked request and
 * the provider's answer wait, sealed, in the hub's local spool and reach the registry when it is
 * back — also through a restart of the hub — instead of the caller being told "not parked".
 */
@Tag("hub")
class SpoolThroughRegistryOutageTest {
    private static final String CALL = "/api/v1/integrations/call";
    /** A card number stands for the body's sensitive part (the canary is a credential: the DLQ API may show bodies). */
    private static final String CARD = "4242424242424242";

    private static final String BODY = "{\"amount\": 4200, \"card\": \"" + CARD + "\"}";

    @TempDir
    Path spool;

    private WireMockServer provider;
    private TestDatabase database;
    private TcpProxy registry;
    /** Cuts the registry at the first wait between attempts, so the call ends while PostgreSQL is away. */
    private final AtomicBoolean cutAtFirstWait = new AtomicBoolean();

    @BeforeEach
    void start() {
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        provider.stubFor(any(urlPathMatching("/fail")).willReturn(aResponse().withStatus(503)));
        database = TestDatabase.create();
        registry =
                TcpProxy.start("127.0.0.1", Integer.parseInt(System.getenv().getOrDefault("HUB_TEST_PG_PORT", "5432")));
    }

    @AfterEach
    void stop() {
        registry.close();
        database.close();
        provider.stop();
    }

    private TestHub hub() {
        Sleeper sleeper = wait -> {
            if (cutAtFirstWait.compareAndSet(true, false)) {
                registry.down();
            }
        };
        return TestHub.sharing(
                database,
                Map.of(
                        "INTEGRATION_DB_URL",
                        "jdbc:postgresql://127.0.0.1:" + registry.port() + "/" + database.name(),
                        "INTEGRATION_SPOOL_DIR",
                        spool.toString()),
                new Hub.Options(sleeper, Clock.systemUTC(), HostResolver.SYSTEM, new SecureRandom()));
    }

    private static void createProvider(TestHub hub, int port) {
        Providers.create(
                hub,
                "shop",
                Providers.local(
                        "psp",
                        port,
                        "{\"type\":\"bearer\",\"credentials\":{\"token\":\"" + Canary.SECRET + "\"}}",
                        "\"retry\": {\"maxAttempts\": 2}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
    }

    private static Answer call(TestHub hub, String path, String key) {
        return hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token("shop", Scope.CALL),
                        """
                {"provider": "psp", "method": "POST", "path": "%s", "body": %s, "idempotencyKey": "%s"}""".formatted(path, BODY, key),
                        Map.of("Content-Type", "application/json"));
    }

    @Test
    void aCallParkedWhileTheRegistryIsDownReachesTheDlqWhenItIsBack() throws Exception {
        try (TestHub hub = hub()) {
            createProvider(hub, provider.port());
            cutAtFirstWait.set(true);

            Answer failed = call(hub, "/fail", "pay-1");

            assertThat(failed.status()).as(failed.body()).isEqualTo(502);
            assertThat(failed.json().path("type").asText()).endsWith("upstream-failed");
            assertThat(failed.json().path("detail").asText())
                    .contains("reaches the dead letter queue as soon as the registry");
            String entryId = failed.json().path("dlqEntryId").asText();
            assertThat(entryId).isNotBlank();
            List<Path> waiting = records();
            assertThat(waiting).hasSize(1);
            assertThat(new String(Files.readAllBytes(waiting.get(0)), StandardCharsets.ISO_8859_1))
                    .doesNotContain(Canary.SECRET)
                    .doesNotContain(CARD)
                    .doesNotContain("4200")
                    .doesNotContain("pay-1");
            Answer ready = hub.client().get("/health/ready", null);
            assertThat(ready.json().path("checks").path("callRecordSpool").asText())
                    .isEqualTo("DEGRADED");
            assertThat(hub.management().get("/metrics", null).body()).contains("integration_hub_spool_pending 1.0");

            registry.up();

            String token = hub.adminToken("shop");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Answer entry = hub.client().get("/api/v1/integrations/dlq/" + entryId + "?include=body", token);
                assertThat(entry.status()).as(entry.body()).isEqualTo(200);
                assertThat(entry.json().path("status").asText()).isEqualTo("pending");
                assertThat(new String(
                                java.util.Base64.getDecoder()
                                        .decode(entry.json()
                                                .path("request")
                                                .path("bodyBase64")
                                                .asText()),
                                StandardCharsets.UTF_8))
                        .contains("\"amount\"")
                        .contains("4200");
            });
            assertThat(records()).isEmpty();
            assertThat(hub.client()
                            .get("/health/ready", null)
                            .json()
                            .path("checks")
                            .path("callRecordSpool")
                            .asText())
                    .isEqualTo("UP");
            assertThat(outboxTypes(entryId)).contains("dlq.entry.created", "call.failed");
            // The key is dead-lettered, not stuck in flight: the module's own retry runs again (and parks again).
            provider.resetRequests();
            Answer again = call(hub, "/fail", "pay-1");
            assertThat(again.status()).as(again.body()).isEqualTo(502);
            assertThat(again.json().path("dlqEntryId").asText()).isEqualTo(entryId);
            assertThat(provider.countRequestsMatching(
                                    anyRequestedFor(urlPathEqualTo("/fail")).build())
                            .getCount())
                    .isEqualTo(2);
        }
    }

    @Test
    void aProvidersAnswerGotWhileTheRegistryIsDownIsKeptForItsIdempotencyKey() throws IOException {
        provider.stubFor(any(urlPathEqualTo("/charge"))
                .inScenario("flaky")
                .whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        provider.stubFor(any(urlPathEqualTo("/charge"))
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(201).withBody("{\"charge\":\"ch_1\"}")));
        try (TestHub hub = hub()) {
            createProvider(hub, provider.port());
            cutAtFirstWait.set(true);

            Answer charged = call(hub, "/charge", "pay-2");

            // The provider charged: the caller gets its answer although the registry could not record it yet.
            assertThat(charged.status()).as(charged.body()).isEqualTo(201);
            assertThat(charged.body()).isEqualTo("{\"charge\":\"ch_1\"}");
            assertThat(records()).hasSize(1);

            registry.up();
            await().atMost(Duration.ofSeconds(20)).until(() -> records().isEmpty());

            Answer replayed = call(hub, "/charge", "pay-2");
            assertThat(replayed.status()).as(replayed.body()).isEqualTo(201);
            assertThat(replayed.header("X-Idempotent-Replay")).contains("true");
            assertThat(replayed.body()).isEqualTo("{\"charge\":\"ch_1\"}");
            assertThat(provider.countRequestsMatching(
                                    anyRequestedFor(urlPathEqualTo("/charge")).build())
                            .getCount())
                    .as("the retry was answered from the kept answer, not by charging again")
                    .isEqualTo(2);
        }
    }

    @Test
    void spooledRecordsSurviveARestartOfTheHub() throws IOException {
        String entryId;
        try (TestHub first = hub()) {
            createProvider(first, provider.port());
            cutAtFirstWait.set(true);
            Answer failed = call(first, "/fail", "pay-3");
            assertThat(failed.status()).as(failed.body()).isEqualTo(502);
            entryId = failed.json().path("dlqEntryId").asText();
        } // the hub stops while the registry is still away
        assertThat(records()).hasSize(1);

        registry.up();
        try (TestHub second = hub()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> records().isEmpty());
            Answer entry = second.client().get("/api/v1/integrations/dlq/" + entryId, second.adminToken("shop"));
            assertThat(entry.status()).as(entry.body()).isEqualTo(200);
            assertThat(entry.json().path("idempotencyKey").asText()).isEqualTo("pay-3");
        }
    }

    private List<Path> records() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".record"))
                    .toList();
        }
    }

    private List<String> outboxTypes(String entryId) throws java.sql.SQLException {
        try (java.sql.Connection connection = database.connect();
                java.sql.PreparedStatement query = connection.prepareStatement(
                        "SELECT type FROM outbox WHERE payload::text LIKE ? ORDER BY seq")) {
            query.setString(1, "%" + entryId + "%");
            List<String> types = new java.util.ArrayList<>();
            try (java.sql.ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
            return types;
        }
    }
}
