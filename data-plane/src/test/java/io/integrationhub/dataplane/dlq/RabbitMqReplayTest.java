package io.integrationhub.dataplane.dlq;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.registry.Ids;
import io.integrationhub.registry.dlq.RetryRequests.RetryRequest;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The retry path on the real local RabbitMQ (vhost hub-test), in queues of this class's own: replay
 * with the original idempotency key, exactly-once over 200 entries with two consumers, an outage
 * (cut with a TCP proxy of our own, never the shared broker) and poison messages.
 */
@Tag("hub")
class RabbitMqReplayTest {
    private static final String DLQ = DlqApiTest.DLQ;
    private static final String CALL = "/api/v1/integrations/call";
    private static final String QUEUE =
            "hub-test-dlq-" + UUID.randomUUID().toString().substring(0, 8);
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static final Hub.Options OPTIONS =
            new Hub.Options(new RecordingSleeper(CLOCK), CLOCK, HostResolver.SYSTEM, new SecureRandom());
    private static TcpProxy rabbit;
    private static WireMockServer provider;
    private static Map<String, String> env;
    private static TestHub hub;
    private static Connection admin;

    @BeforeAll
    static void start() throws Exception {
        rabbit = TcpProxy.start("127.0.0.1", 5672);
        provider = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().containerThreads(40));
        provider.start();
        env = Map.of(
                "INTEGRATION_RABBITMQ_URL",
                "amqp://guest:guest@127.0.0.1:" + rabbit.port() + "/hub-test",
                "INTEGRATION_RABBITMQ_QUEUE",
                QUEUE);
        hub = TestHub.start(env, OPTIONS);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri("amqp://guest:guest@127.0.0.1:5672/hub-test");
        admin = factory.newConnection("rabbitmq-replay-test");
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> inspect(QUEUE).getConsumerCount() == 1);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
        try (Channel channel = admin.createChannel()) {
            channel.queueDelete(QUEUE);
            channel.queueDelete(QUEUE + ".parking");
        }
        admin.close();
        rabbit.close();
        provider.stop();
    }

    private static AMQP.Queue.DeclareOk inspect(String queue) throws Exception {
        try (Channel channel = admin.createChannel()) {
            return channel.queueDeclarePassive(queue);
        }
    }

    private static String createProvider(String tenant, String name, String auth, String config) {
        return Providers.create(
                hub,
                tenant,
                Providers.local(
                        name, provider.port(), auth, "\"circuitBreaker\": {\"failureThreshold\": 1000}, " + config));
    }

    private static String park(String tenant, String providerName, String path, String key) {
        Answer answer = hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token(tenant, Scope.CALL),
                        """
                {"provider": "%s", "method": "POST", "path": "%s", "body": {"amount": 100}, "idempotencyKey": "%s"}""".formatted(providerName, path, key),
                        Map.of("Content-Type", "application/json"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(502);
        return answer.json().path("dlqEntryId").asText();
    }

    private static Answer retry(String tenant, String id) {
        return hub.client().send("POST", DLQ + "/" + id + "/retry", hub.token(tenant, Scope.DLQ_WRITE), null, Map.of());
    }

    private static String status(String tenant, String id) {
        return hub.client()
                .get(DLQ + "/" + id, hub.token(tenant, Scope.DLQ_READ))
                .json()
                .path("status")
                .asText();
    }

    private static String rabbitMqHealth() {
        return hub.client()
                .get("/health/ready", null)
                .json()
                .path("checks")
                .path("rabbitmq")
                .asText();
    }

    private static List<LoggedRequest> upstream(String pathRegex) {
        return provider.findAll(anyRequestedFor(urlPathMatching(pathRegex)));
    }

    private static long waitingRequests() throws Exception {
        try (java.sql.Connection db = hub.database().connect();
                PreparedStatement q = db.prepareStatement("SELECT count(*) FROM dlq_retry_requests");
                ResultSet row = q.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void aRetriedEntrySucceedsWithTheOriginalIdempotencyKeyAndASecondRetryIsRefused() throws Exception {
        createProvider(
                "shop",
                "psp",
                "{\"type\":\"bearer\",\"credentials\":{\"token\":\"" + Canary.SECRET + "\"}}",
                "\"retry\": {\"maxAttempts\": 2}");
        provider.stubFor(
                any(urlPathMatching("/v1/charges")).willReturn(aResponse().withStatus(500)));
        String id = park("shop", "psp", "/v1/charges", "order-42");
        assertThat(status("shop", id)).isEqualTo("pending");
        assertThat(upstream("/v1/charges")).hasSize(2);

        provider.resetRequests();
        provider.stubFor(any(urlPathMatching("/v1/charges"))
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"ch_1\"}")));
        assertThat(retry("shop", id).status()).isEqualTo(202);
        assertThat(retry("shop", id).status()).as("a double click").isEqualTo(409);
        await().atMost(Duration.ofSeconds(20)).until(() -> status("shop", id).equals("succeeded"));

        List<LoggedRequest> sent = upstream("/v1/charges");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getHeader("Idempotency-Key")).isEqualTo("order-42");
        assertThat(sent.get(0).getHeader("Authorization"))
                .isEqualTo("Bearer " + Canary.SECRET); // injected again on replay
        // The caller's own bytes, as the envelope carried them.
        assertThat(sent.get(0).getBodyAsString()).isEqualTo("{\"amount\": 100}");

        Answer second = retry("shop", id);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().path("status").asInt()).isEqualTo(409);
        assertThat(second.json().path("entryStatus").asText()).isEqualTo("succeeded");
        assertThat(waitingRequests()).isZero();
        assertThat(inspect(QUEUE).getMessageCount()).isZero();
        assertThat(upstream("/v1/charges")).hasSize(1);
        // The module's own retry with the same key now gets the stored answer, not a second charge.
        Answer moduleRetry = hub.client()
                .send("POST", CALL, hub.token("shop", Scope.CALL), """
                {"provider": "psp", "method": "POST", "path": "/v1/charges", "body": {"amount": 100}, "idempotencyKey": "order-42"}""", Map.of("Content-Type", "application/json"));
        assertThat(moduleRetry.status()).isEqualTo(201);
        assertThat(moduleRetry.header("X-Idempotent-Replay")).contains("true");
        assertThat(upstream("/v1/charges")).hasSize(1);
        assertThat(DlqApiTest.events(hub, id))
                .containsSubsequence("dlq.entry.created", "dlq.entry.retried", "dlq.entry.succeeded");
    }

    @Test
    void retryAllOverTwoHundredEntriesReplaysEachExactlyOnceWithTwoConsumers() throws Exception {
        createProvider(
                "bulk", "bulk", "{\"type\":\"none\"}", "\"retry\": {\"maxAttempts\": 1}, \"rateLimitPerSec\": 5000");
        provider.stubFor(any(urlPathMatching("/bulk/.*")).willReturn(aResponse().withStatus(500)));
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<String>> parked = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            parked.add(callers.submit(() -> park("bulk", "bulk", "/bulk/" + n, "bulk-" + n)));
        }
        for (Future<String> future : parked) {
            future.get();
        }
        callers.shutdown();

        try (TestHub second = TestHub.sharing(hub.database(), env, OPTIONS)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> inspect(QUEUE).getConsumerCount() == 2);
            provider.resetRequests();
            provider.stubFor(any(urlPathMatching("/bulk/.*"))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(5)));

            Answer batch = second.client()
                    .send(
                            "POST",
                            DLQ + "/retry-all?provider=bulk",
                            second.token("bulk", Scope.DLQ_WRITE),
                            null,
                            Map.of());
            assertThat(batch.status()).isEqualTo(202);
            assertThat(batch.json().path("queued").asInt()).isEqualTo(200);
            String statusUrl = batch.json().path("statusUrl").asText();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> hub.client()
                            .get(statusUrl, hub.token("bulk", Scope.DLQ_READ))
                            .json()
                            .path("done")
                            .asBoolean());
            var progress = hub.client()
                    .get(statusUrl, hub.token("bulk", Scope.DLQ_READ))
                    .json();
            assertThat(progress.path("succeeded").asInt()).isEqualTo(200);
            assertThat(progress.path("failed").asInt()).isZero();

            List<LoggedRequest> sent = upstream("/bulk/.*");
            assertThat(sent).hasSize(200);
            Map<String, Long> perKey = sent.stream()
                    .collect(Collectors.groupingBy(r -> r.getHeader("Idempotency-Key"), Collectors.counting()));
            assertThat(perKey.keySet())
                    .isEqualTo(
                            IntStream.range(0, 200).mapToObj(i -> "bulk-" + i).collect(Collectors.toSet()));
            assertThat(perKey.values()).allMatch(count -> count == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inspect(QUEUE).getConsumerCount() == 1);
    }

    @Test
    void retriesRequestedWhileRabbitMqIsCutWaitInPostgresAndAreReplayedOnceWhenItIsBack() throws Exception {
        createProvider("cut", "cut", "{\"type\":\"none\"}", "\"retry\": {\"maxAttempts\": 1}");
        provider.stubFor(any(urlPathMatching("/cut/.*")).willReturn(aResponse().withStatus(500)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(park("cut", "cut", "/cut/" + i, "cut-" + i));
        }
        provider.stubFor(any(urlPathMatching("/cut/.*")).willReturn(aResponse().withStatus(200)));
        int before = upstream("/cut/.*").size();

        rabbit.down();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> rabbitMqHealth().equals("DEGRADED"));
            for (String id : ids) {
                assertThat(retry("cut", id).status()).isEqualTo(202);
            }
            // Kept in Postgres while the broker is unreachable, and nothing reaches the provider.
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> waitingRequests() == 10 && upstream("/cut/.*").size() == before);
            assertThat(ids).allMatch(id -> status("cut", id).equals("retrying"));
        } finally {
            rabbit.up();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> rabbitMqHealth().equals("UP"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ids.stream().allMatch(id -> status("cut", id).equals("succeeded")));
        List<LoggedRequest> sent =
                upstream("/cut/.*").subList(0, upstream("/cut/.*").size() - before);
        assertThat(sent).hasSize(10);
        assertThat(sent.stream().map(r -> r.getHeader("Idempotency-Key")).collect(Collectors.toSet()))
                .isEqualTo(IntStream.range(0, 10).mapToObj(i -> "cut-" + i).collect(Collectors.toSet()));
        assertThat(waitingRequests()).isZero();
    }

    @Test
    void poisonMessagesAreParkedAndTheConsumerKeepsGoing() throws Exception {
        createProvider("poison", "ok", "{\"type\":\"none\"}", "\"retry\": {\"maxAttempts\": 1}");
        provider.stubFor(
                any(urlPathMatching("/poison/.*")).willReturn(aResponse().withStatus(500)));
        String id = park("poison", "ok", "/poison/1", "poison-1");
        provider.stubFor(
                any(urlPathMatching("/poison/.*")).willReturn(aResponse().withStatus(200)));

        byte[] garbage = "{not a retry message".getBytes(StandardCharsets.UTF_8);
        byte[] orphan = RetryMessages.encode(new RetryRequest(Ids.newId(), Ids.newId(), "poison", "token-of-nothing"));
        try (Channel channel = admin.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties persistent =
                    new AMQP.BasicProperties.Builder().deliveryMode(2).build();
            channel.basicPublish("", QUEUE, persistent, garbage);
            channel.basicPublish("", QUEUE, persistent, orphan);
            channel.waitForConfirmsOrDie(5_000);
        }
        assertThat(retry("poison", id).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> status("poison", id).equals("succeeded"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> inspect(QUEUE + ".parking").getMessageCount() == 2);
        assertThat(inspect(QUEUE).getMessageCount()).isZero();

        Set<String> parkedBodies = new java.util.HashSet<>();
        try (Channel channel = admin.createChannel()) {
            for (int i = 0; i < 2; i++) {
                GetResponse message = channel.basicGet(QUEUE + ".parking", true);
                parkedBodies.add(new String(message.getBody(), StandardCharsets.UTF_8));
            }
        }
        assertThat(parkedBodies)
                .containsExactlyInAnyOrder(
                        new String(garbage, StandardCharsets.UTF_8), new String(orphan, StandardCharsets.UTF_8));
    }
}
