package io.integrationhub.dataplane.call.failover;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.protobuf.ByteString;
import io.integrationhub.dataplane.GrpcClient;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.TwoHubs;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.grpc.v1.Auth;
import io.integrationhub.dataplane.grpc.v1.CallAlternative;
import io.integrationhub.dataplane.grpc.v1.CallRequest;
import io.integrationhub.dataplane.grpc.v1.CallResponse;
import io.integrationhub.dataplane.grpc.v1.CreateProviderRequest;
import io.integrationhub.dataplane.grpc.v1.DeleteProviderRequest;
import io.integrationhub.dataplane.grpc.v1.Failover;
import io.integrationhub.dataplane.grpc.v1.GetProviderRequest;
import io.integrationhub.dataplane.grpc.v1.HeaderValues;
import io.integrationhub.dataplane.grpc.v1.ProviderConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Failover between providers of the same API ({@code config.failover}) through two hub instances
 * sharing one registry and one Valkey: a call leaves provider A for B only when A provably did not
 * execute it, and its answer names who answered and the route tried.
 */
@Tag("hub")
class FailoverTest {
    private static final String TENANT = "failover";
    private static final String CALL = "/api/v1/integrations/call";
    private static final String DLQ = "/api/v1/integrations/dlq";
    private static WireMockServer a;
    private static WireMockServer b;
    private static TestHub one;
    private static TestHub two;
    private static TwoHubs hubs;

    @BeforeAll
    static void start() {
        a = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        b = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        a.start();
        b.start();
        hubs = TwoHubs.startWithoutBackoffSleeps();
        one = hubs.first();
        two = hubs.second();
    }

    @AfterAll
    static void stop() {
        hubs.close();
        a.stop();
        b.stop();
    }

    static String create(String name, int port, String config) {
        return Providers.create(one, TENANT, Providers.local(name, port, "{\"type\":\"none\"}", config));
    }

    static Answer call(TestHub hub, String provider, String path, String key) {
        return hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token(TENANT, Scope.CALL),
                        """
                {"provider": "%s", "method": "POST", "path": "%s", "headers": {"X-Tag": "t-1"}, "body": {"amount": 1}%s}""".formatted(provider, path, key == null ? "" : ", \"idempotencyKey\": \"" + key + "\""),
                        Map.of("Content-Type", "application/json"));
    }

    static List<LoggedRequest> requests(WireMockServer server, String path) {
        return server.findAll(anyRequestedFor(urlPathEqualTo(path)));
    }

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static double failovers(TestHub hub, String fromId, String toId, String reason) {
        String wanted = "integration_hub_failovers_total{";
        for (String line : hub.management().get("/metrics", null).body().split("\n")) {
            if (line.startsWith(wanted)
                    && line.contains("from=\"" + fromId + "\"")
                    && line.contains("to=\"" + toId + "\"")
                    && line.contains("reason=\"" + reason + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static List<String> events(String type, String aggregateKey) throws java.sql.SQLException {
        List<String> found = new ArrayList<>();
        try (var db = one.database().connect();
                var query = db.prepareStatement(
                        "SELECT payload::text FROM outbox WHERE aggregate_key = ? AND type = ? ORDER BY seq")) {
            query.setString(1, aggregateKey);
            query.setString(2, type);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
        }
        return found;
    }

    /** Acceptance 1: A's breaker opened through instance 1 sends a call on instance 2 to B; A receives nothing of it. */
    @Test
    void aBreakerOpenOnOneInstanceSendsTheCallOnTheOtherToB() throws Exception {
        String bId = create("sms-b1", b.port(), "");
        String aId = create(
                "sms-a1",
                a.port(),
                "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1,"
                        + " \"openSec\": 60}, \"failover\": {\"to\": [\"sms-b1\"]}");
        a.stubFor(any(urlPathEqualTo("/one")).willReturn(aResponse().withStatus(500)));
        b.stubFor(any(urlPathEqualTo("/one"))
                .willReturn(aResponse().withStatus(201).withBody("from b")));

        // A answers 500, which A may have executed: the call stays with A (no onStatus), and A's breaker opens.
        Answer first = call(one, "sms-a1", "/one", null);
        assertThat(first.status()).isEqualTo(502);
        assertThat(first.header("X-Integration-Provider")).contains("sms-a1");
        assertThat(first.header("X-Integration-Route")).contains("sms-a1");
        assertThat(requests(b, "/one")).isEmpty();
        await().atMost(Duration.ofSeconds(3))
                .until(() -> one.client()
                        .get("/api/v1/integrations/providers/sms-a1/health", one.token(TENANT, Scope.PROVIDERS_READ))
                        .json()
                        .path("breaker")
                        .path("state")
                        .asText()
                        .equals("open"));

        Answer moved = call(two, "sms-a1", "/one", null);
        assertThat(moved.status()).isEqualTo(201);
        assertThat(moved.body()).isEqualTo("from b");
        assertThat(moved.header("X-Integration-Provider")).contains("sms-b1");
        assertThat(moved.header("X-Integration-Route")).contains("sms-a1>sms-b1");
        assertThat(requests(a, "/one")).hasSize(1);
        assertThat(requests(b, "/one")).hasSize(1);
        // B got the same request: method, path, headers and body.
        LoggedRequest atB = requests(b, "/one").get(0);
        assertThat(atB.getMethod().getName()).isEqualTo("POST");
        assertThat(atB.getHeader("X-Tag")).isEqualTo("t-1");
        assertThat(atB.getBodyAsString()).isEqualTo("{\"amount\": 1}");
        assertThat(failovers(two, aId, bId, "circuit_open")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(events("call.failed_over", aId))
                        .singleElement()
                        .satisfies(data -> assertThat(data).contains(bId).contains("circuit_open")));
    }

    /** A provider paused by its own Retry-After (shared through Valkey) is left at once for B on the other instance. */
    @Test
    void aProviderPausedThroughOneInstanceIsLeftAtOnceOnTheOther() {
        String bId = create("sms-b9", b.port(), "");
        String aId = create(
                "sms-a9",
                a.port(),
                "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 100},"
                        + " \"failover\": {\"to\": [\"sms-b9\"]}");
        a.stubFor(any(urlPathEqualTo("/nine"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));
        b.stubFor(any(urlPathEqualTo("/nine"))
                .willReturn(aResponse().withStatus(200).withBody("b nine")));

        // A's 429 is its answer (it may have acted): the call stays with A, and A asks everyone to wait 60 s.
        Answer first = call(one, "sms-a9", "/nine", "key-nine-1");
        assertThat(first.header("X-Integration-Provider")).contains("sms-a9");
        assertThat(requests(b, "/nine")).isEmpty();

        Answer moved = call(two, "sms-a9", "/nine", "key-nine-2");
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.header("X-Integration-Route")).contains("sms-a9>sms-b9");
        assertThat(requests(a, "/nine")).hasSize(1);
        assertThat(failovers(two, aId, bId, "paused")).isEqualTo(1);
    }

    /** Acceptance 2: A refuses connections, B answers and the answer says so. */
    @Test
    void aProviderRefusingConnectionsIsLeftForB() {
        String bId = create("sms-b2", b.port(), "");
        String aId =
                create("sms-a2", closedPort(), "\"retry\": {\"maxAttempts\": 3}, \"failover\": {\"to\": [\"sms-b2\"]}");
        b.stubFor(any(urlPathEqualTo("/two"))
                .willReturn(aResponse().withStatus(200).withBody("b answered")));

        Answer answer = call(one, "sms-a2", "/two", "key-two");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("b answered");
        assertThat(answer.header("X-Integration-Provider")).contains("sms-b2");
        assertThat(answer.header("X-Integration-Route")).contains("sms-a2>sms-b2");
        // Moved at once: one attempt at A (refused), one at B.
        assertThat(answer.header("X-Integration-Attempts")).contains("1");
        assertThat(requests(b, "/two"))
                .singleElement()
                .satisfies(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo("key-two"));
        assertThat(failovers(one, aId, bId, "not_connected")).isEqualTo(1);
    }

    /** Acceptance 3: A received the request and stalled past its timeout: B gets nothing, the call is parked with A and replays to A. */
    @Test
    void aTimeoutKeepsTheCallWithAAndItsReplayGoesToA() {
        create("sms-b3", b.port(), "");
        String aId = create(
                "sms-a3",
                a.port(),
                "\"timeoutMs\": 300, \"retry\": {\"maxAttempts\": 2},"
                        + " \"circuitBreaker\": {\"failureThreshold\": 100}, \"failover\": {\"to\": [\"sms-b3\"], \"onStatus\": [503]}");
        a.stubFor(any(urlPathEqualTo("/three"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        b.stubFor(any(urlPathEqualTo("/three")).willReturn(aResponse().withStatus(200)));

        Answer answer = call(one, "sms-a3", "/three", "key-three");
        assertThat(answer.status()).as(answer.body()).isEqualTo(504);
        assertThat(answer.header("X-Integration-Provider")).contains("sms-a3");
        assertThat(answer.header("X-Integration-Route")).contains("sms-a3");
        String entryId = answer.json().path("dlqEntryId").asText();
        assertThat(entryId).isNotEmpty();
        assertThat(requests(a, "/three")).hasSize(2);
        assertThat(requests(b, "/three")).isEmpty();
        Answer entry = two.client().get(DLQ + "/" + entryId, two.token(TENANT, Scope.DLQ_READ));
        assertThat(entry.json().path("providerId").asText()).isEqualTo(aId);

        // The caller's retry with the same key resumes with A and, while A is refused, never moves to B.
        a.stubFor(any(urlPathEqualTo("/three"))
                .willReturn(aResponse().withStatus(200).withBody("a at last")));
        Answer replay = two.client()
                .send("POST", DLQ + "/" + entryId + "/retry", two.token(TENANT, Scope.DLQ_WRITE), null, Map.of());
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> requests(a, "/three").size() == 3);
        assertThat(requests(a, "/three"))
                .allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo("key-three"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> two.client()
                        .get(DLQ + "/" + entryId, two.token(TENANT, Scope.DLQ_READ))
                        .json()
                        .path("status")
                        .asText()
                        .equals("succeeded"));
        assertThat(requests(b, "/three")).isEmpty();
        // The key's record is A's answer now: the caller's retry is a replay, with no upstream request.
        Answer again = call(one, "sms-a3", "/three", "key-three");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("X-Idempotent-Replay")).contains("true");
        assertThat(requests(a, "/three")).hasSize(3);
        assertThat(requests(b, "/three")).isEmpty();
    }

    /** Acceptance 4: a 503 in onStatus moves on without retrying A; without onStatus A is retried, then the DLQ. */
    @Test
    void aStatusDeclaredNotExecutedMovesOnAndAnyOtherStaysWithA() {
        String bId = create("sms-b4", b.port(), "");
        String aId = create(
                "sms-a4",
                a.port(),
                "\"retry\": {\"maxAttempts\": 3}, \"circuitBreaker\": {\"failureThreshold\": 100},"
                        + " \"failover\": {\"to\": [\"sms-b4\"], \"onStatus\": [503]}");
        create(
                "sms-a4-plain",
                a.port(),
                "\"retry\": {\"maxAttempts\": 3}, \"circuitBreaker\": {\"failureThreshold\": 100},"
                        + " \"failover\": {\"to\": [\"sms-b4\"]}");
        a.stubFor(any(urlPathEqualTo("/four")).willReturn(aResponse().withStatus(503)));
        b.stubFor(any(urlPathEqualTo("/four"))
                .willReturn(aResponse().withStatus(202).withBody("b took it")));

        Answer declared = call(one, "sms-a4", "/four", null);
        assertThat(declared.status()).isEqualTo(202);
        assertThat(declared.header("X-Integration-Provider")).contains("sms-b4");
        assertThat(requests(a, "/four")).hasSize(1);
        assertThat(requests(b, "/four")).hasSize(1);
        assertThat(failovers(one, aId, bId, "on_status")).isEqualTo(1);

        Answer undeclared = call(two, "sms-a4-plain", "/four", "key-four");
        assertThat(undeclared.status()).isEqualTo(502);
        assertThat(undeclared.json().path("dlqEntryId").asText()).isNotEmpty();
        assertThat(undeclared.header("X-Integration-Provider")).contains("sms-a4-plain");
        assertThat(undeclared.header("X-Integration-Attempts")).contains("3");
        assertThat(requests(a, "/four")).hasSize(4);
        assertThat(requests(b, "/four")).hasSize(1);
    }

    /** Acceptance 6: a keyed call that failed over replays B's answer, with no new request at A or B. */
    @Test
    void aKeyedCallThatFailedOverReplaysTheAnswerOfB() {
        create("sms-b6", b.port(), "");
        create(
                "sms-a6",
                a.port(),
                "\"retry\": {\"maxAttempts\": 2}, \"failover\": {\"to\": [\"sms-b6\"], \"onStatus\": [503]}");
        a.stubFor(any(urlPathEqualTo("/six")).willReturn(aResponse().withStatus(503)));
        b.stubFor(any(urlPathEqualTo("/six"))
                .willReturn(
                        aResponse().withStatus(201).withHeader("X-From", "b").withBody("b six")));

        Answer first = call(one, "sms-a6", "/six", "key-six");
        assertThat(first.status()).isEqualTo(201);
        Answer replayed = call(two, "sms-a6", "/six", "key-six");
        assertThat(replayed.status()).isEqualTo(201);
        assertThat(replayed.body()).isEqualTo("b six");
        assertThat(replayed.header("X-Idempotent-Replay")).contains("true");
        assertThat(replayed.header("X-From")).contains("b");
        assertThat(replayed.header("X-Integration-Provider")).contains("sms-b6");
        assertThat(replayed.header("X-Integration-Route")).contains("sms-a6>sms-b6");
        assertThat(requests(a, "/six")).hasSize(1);
        assertThat(requests(b, "/six")).hasSize(1);

        // The same key for another request is refused, as for any keyed call.
        Answer other = one.client()
                .send(
                        "POST",
                        CALL,
                        one.token(TENANT, Scope.CALL),
                        "{\"provider\": \"sms-a6\", \"method\": \"POST\", \"path\": \"/six\", \"body\": {\"amount\": 2},"
                                + " \"idempotencyKey\": \"key-six\"}",
                        Map.of("Content-Type", "application/json"));
        assertThat(other.status()).isEqualTo(422);
    }

    /** Acceptance 5: alternatives with their own paths and bodies; B receives exactly its own request, bytes as written. */
    @Test
    void anAlternativeSendsItsOwnRequestExactly() {
        create("sms-b5", b.port(), "");
        create("sms-a5", closedPort(), "\"retry\": {\"maxAttempts\": 2}");
        b.stubFor(any(urlPathEqualTo("/v2/sms/send"))
                .willReturn(aResponse().withStatus(200).withBody("vonage ok")));
        String alternativeBody = "{\"recipient\" : \"+15550100\",  \"amount\":1.50e0, \"k\":\"\\u00e9\"}";
        String envelope = """
                {"provider": "sms-a5", "method": "POST", "path": "/2010-04-01/Messages.json",
                 "body": {"To": "+15550100", "Body": "hi"},
                 "alternatives": [{"provider": "sms-b5", "method": "PUT", "path": "/v2/sms/send", "query": {"v": "2"},
                                   "headers": {"X-Vendor": "b"}, "body": %s }],
                 "idempotencyKey": "key-five"}""".formatted(alternativeBody);
        Answer answer = one.client()
                .send(
                        "POST",
                        CALL,
                        one.token(TENANT, Scope.CALL),
                        envelope,
                        Map.of("Content-Type", "application/json"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("vonage ok");
        assertThat(answer.header("X-Integration-Provider")).contains("sms-b5");
        assertThat(answer.header("X-Integration-Route")).contains("sms-a5>sms-b5");
        LoggedRequest atB = requests(b, "/v2/sms/send").get(0);
        assertThat(requests(b, "/v2/sms/send")).hasSize(1);
        assertThat(atB.getMethod().getName()).isEqualTo("PUT");
        assertThat(atB.getUrl()).isEqualTo("/v2/sms/send?v=2");
        assertThat(atB.getHeader("X-Vendor")).isEqualTo("b");
        assertThat(atB.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(atB.getBody()).isEqualTo(alternativeBody.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(atB.getHeader("Idempotency-Key")).isEqualTo("key-five");

        // The key's fingerprint covers the whole envelope: other alternatives under the same key are a mismatch.
        Answer changed = one.client()
                .send(
                        "POST",
                        CALL,
                        one.token(TENANT, Scope.CALL),
                        envelope.replace("\"v\": \"2\"", "\"v\": \"3\""),
                        Map.of("Content-Type", "application/json"));
        assertThat(changed.status()).as(changed.body()).isEqualTo(422);
        assertThat(changed.json().path("type").asText()).isEqualTo("idempotency-mismatch");
        Answer replay = one.client()
                .send(
                        "POST",
                        CALL,
                        one.token(TENANT, Scope.CALL),
                        envelope,
                        Map.of("Content-Type", "application/json"));
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header("X-Idempotent-Replay")).contains("true");
        assertThat(requests(b, "/v2/sms/send")).hasSize(1);
    }

    @Test
    void atMostThreeAlternativesEachAFullRequest() {
        String alternative = "{\"provider\": \"x\", \"method\": \"POST\", \"path\": \"/x\"}";
        Answer four = one.client()
                .send(
                        "POST",
                        CALL,
                        one.token(TENANT, Scope.CALL),
                        "{\"provider\": \"x\", \"method\": \"GET\"," + " \"path\": \"/\", \"alternatives\": ["
                                + String.join(",", java.util.Collections.nCopies(4, alternative)) + "]}",
                        Map.of("Content-Type", "application/json"));
        assertThat(four.status()).isEqualTo(422);
        assertThat(four.json().path("errors").findValuesAsText("field")).contains("alternatives");
        Answer incomplete = one.client()
                .send(
                        "POST",
                        CALL,
                        one.token(TENANT, Scope.CALL),
                        "{\"provider\": \"x\", \"method\": \"GET\","
                                + " \"path\": \"/\", \"alternatives\": [{\"provider\": \"y\", \"idempotencyKey\": \"k\"}]}",
                        Map.of("Content-Type", "application/json"));
        assertThat(incomplete.status()).isEqualTo(422);
        assertThat(incomplete.json().path("errors").findValuesAsText("field"))
                .contains("alternatives[0].method", "alternatives[0].path", "alternatives[0].idempotencyKey");
    }

    /** Routes are validated where they are written, and a provider a route names can be neither deleted nor renamed. */
    @Test
    void aRouteNamesLiveProvidersOfTheTenantAndKeepsThem() {
        create("mail-b", b.port(), "");
        String path = Providers.PATH;
        Map<String, String> json = Map.of("Content-Type", "application/json");
        String[][] invalid = {
            {"\"failover\": {\"to\": [\"nope\"]}", "config.failover.to[0]"},
            {"\"failover\": {\"to\": [\"mail-a\"]}", "config.failover.to[0]"},
            {"\"failover\": {\"to\": [\"mail-b\", \"b\", \"c\", \"d\"]}", "config.failover.to"},
            {"\"failover\": {\"to\": []}", "config.failover.to"},
            {"\"failover\": {\"to\": [\"mail-b\"], \"onStatus\": [200]}", "config.failover.onStatus[0]"},
            {"\"failover\": {\"to\": [\"mail-b\"], \"retry\": 1}", "config.failover.retry"}
        };
        for (String[] c : invalid) {
            Answer refused = one.client()
                    .send(
                            "POST",
                            path,
                            one.adminToken(TENANT),
                            Providers.local("mail-a", a.port(), "{\"type\":\"none\"}", c[0]),
                            json);
            assertThat(refused.status()).as(c[0]).isEqualTo(422);
            assertThat(refused.json().path("errors").findValuesAsText("field"))
                    .as(c[0])
                    .contains(c[1]);
        }
        // Another tenant's provider of that name is not a target either.
        Providers.create(one, "elsewhere", Providers.local("mail-c", b.port(), "{\"type\":\"none\"}", ""));
        Answer foreign = one.client()
                .send(
                        "POST",
                        path,
                        one.adminToken(TENANT),
                        Providers.local(
                                "mail-a", a.port(), "{\"type\":\"none\"}", "\"failover\": {\"to\": [\"mail-c\"]}"),
                        json);
        assertThat(foreign.status()).isEqualTo(422);

        create("mail-a", a.port(), "\"failover\": {\"to\": [\"mail-b\"], \"onStatus\": [503, 429]}");
        Answer shown = one.client().get(path + "/mail-a", one.adminToken(TENANT));
        assertThat(shown.json().path("config").path("failover").toString())
                .isEqualTo("{\"to\":[\"mail-b\"],\"onStatus\":[503,429]}");

        Answer delete = one.client().send("DELETE", path + "/mail-b", one.adminToken(TENANT), null, Map.of());
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.json().path("type").asText()).isEqualTo("provider-in-route");
        assertThat(delete.json().path("routedFrom").toString()).isEqualTo("[\"mail-a\"]");
        Map<String, String> patch = Map.of("Content-Type", "application/merge-patch+json");
        Answer rename =
                one.client().send("PATCH", path + "/mail-b", one.adminToken(TENANT), "{\"name\": \"mail-b2\"}", patch);
        assertThat(rename.status()).isEqualTo(409);
        assertThat(rename.json().path("type").asText()).isEqualTo("provider-in-route");
        // Any other change of the target is fine, and so is the delete once the route changed.
        assertThat(one.client()
                        .send(
                                "PATCH",
                                path + "/mail-b",
                                one.adminToken(TENANT),
                                "{\"config\": {\"timeoutMs\": 2000}}",
                                patch)
                        .status())
                .isEqualTo(200);
        assertThat(one.client()
                        .send(
                                "PATCH",
                                path + "/mail-a",
                                one.adminToken(TENANT),
                                "{\"config\": {\"failover\": null}}",
                                patch)
                        .status())
                .isEqualTo(200);
        assertThat(one.client()
                        .send("DELETE", path + "/mail-b", one.adminToken(TENANT), null, Map.of())
                        .status())
                .isEqualTo(204);
    }

    /**
     * A call parked with B after it left A remembers its place: the DLQ replay and the caller's retry
     * with the same key go to B and never back to A, and both share the key's one record.
     */
    @Test
    void aCallParkedWithBResumesWithB() {
        String bId = create(
                "sms-b7",
                b.port(),
                "\"timeoutMs\": 300, \"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 100}");
        create(
                "sms-a7",
                a.port(),
                "\"retry\": {\"maxAttempts\": 2}, \"circuitBreaker\": {\"failureThreshold\": 100},"
                        + " \"failover\": {\"to\": [\"sms-b7\"], \"onStatus\": [503]}");
        a.stubFor(any(urlPathEqualTo("/seven")).willReturn(aResponse().withStatus(503)));
        b.stubFor(any(urlPathEqualTo("/seven"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(3000)));

        // Two keyed calls leave A (503 declared "not executed") and time out at B: parked with B.
        Answer byDlq = call(one, "sms-a7", "/seven", "key-seven-dlq");
        Answer byCaller = call(one, "sms-a7", "/seven", "key-seven-caller");
        for (Answer parked : List.of(byDlq, byCaller)) {
            assertThat(parked.status()).as(parked.body()).isEqualTo(504);
            assertThat(parked.header("X-Integration-Provider")).contains("sms-b7");
            assertThat(parked.header("X-Integration-Route")).contains("sms-a7>sms-b7");
        }
        String entryId = byDlq.json().path("dlqEntryId").asText();
        assertThat(two.client()
                        .get(DLQ + "/" + entryId, two.token(TENANT, Scope.DLQ_READ))
                        .json()
                        .path("providerId")
                        .asText())
                .isEqualTo(bId);
        assertThat(requests(a, "/seven")).hasSize(2);
        assertThat(requests(b, "/seven")).hasSize(2);

        b.stubFor(any(urlPathEqualTo("/seven"))
                .willReturn(aResponse().withStatus(201).withBody("b at last")));
        // The operator's replay goes to B with the same key; then the caller's retry of that key is a replay.
        assertThat(two.client()
                        .send(
                                "POST",
                                DLQ + "/" + entryId + "/retry",
                                two.token(TENANT, Scope.DLQ_WRITE),
                                null,
                                Map.of())
                        .status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> two.client()
                        .get(DLQ + "/" + entryId, two.token(TENANT, Scope.DLQ_READ))
                        .json()
                        .path("status")
                        .asText()
                        .equals("succeeded"));
        assertThat(requests(b, "/seven")).hasSize(3);
        assertThat(requests(b, "/seven").get(2).getHeader("Idempotency-Key")).isEqualTo("key-seven-dlq");
        Answer replayed = call(two, "sms-a7", "/seven", "key-seven-dlq");
        assertThat(replayed.status()).isEqualTo(201);
        assertThat(replayed.header("X-Idempotent-Replay")).contains("true");
        assertThat(requests(b, "/seven")).hasSize(3);

        // The caller's own retry of the other key resumes with B: A, which now would refuse again, is not asked.
        Answer resumed = call(two, "sms-a7", "/seven", "key-seven-caller");
        assertThat(resumed.status()).isEqualTo(201);
        assertThat(resumed.body()).isEqualTo("b at last");
        assertThat(resumed.header("X-Integration-Provider")).contains("sms-b7");
        assertThat(requests(b, "/seven")).hasSize(4);
        assertThat(requests(a, "/seven")).hasSize(2);
        assertThat(two.client()
                        .get(DLQ + "/" + byCaller.json().path("dlqEntryId").asText(), two.token(TENANT, Scope.DLQ_READ))
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("succeeded");
    }

    /** gRPC mirrors the envelope: CallRequest.alternatives, the answer's headers name who answered. */
    @Test
    void grpcCallsFailOverToTheirAlternatives() throws Exception {
        create("sms-b8", b.port(), "");
        create("sms-a8", closedPort(), "\"retry\": {\"maxAttempts\": 2}");
        b.stubFor(any(urlPathEqualTo("/grpc/b"))
                .willReturn(aResponse().withStatus(202).withBody("b via grpc")));
        try (GrpcClient grpc = new GrpcClient(two.hub().grpcPort())) {
            CallResponse answer = grpc.stub(two.token(TENANT, Scope.CALL))
                    .call(CallRequest.newBuilder()
                            .setProvider("sms-a8")
                            .setMethod("POST")
                            .setPath("/grpc/a")
                            .setBody(ByteString.copyFromUtf8("{\"a\":1}"))
                            .setContentType("application/json")
                            .setIdempotencyKey("key-grpc")
                            .addAlternatives(CallAlternative.newBuilder()
                                    .setProvider("sms-b8")
                                    .setMethod("PUT")
                                    .setPath("/grpc/b")
                                    .setRawQuery("x=1")
                                    .setBody(ByteString.copyFromUtf8("b-bytes"))
                                    .setContentType("text/plain")
                                    .putHeaders(
                                            "X-Vendor",
                                            HeaderValues.newBuilder()
                                                    .addValues("b")
                                                    .build()))
                            .build());
            assertThat(answer.getStatus()).isEqualTo(202);
            assertThat(answer.getBody().toStringUtf8()).isEqualTo("b via grpc");
            assertThat(answer.getHeadersMap().get("X-Integration-Provider").getValuesList())
                    .containsExactly("sms-b8");
            assertThat(answer.getHeadersMap().get("X-Integration-Route").getValuesList())
                    .containsExactly("sms-a8>sms-b8");
        }
        LoggedRequest atB = requests(b, "/grpc/b").get(0);
        assertThat(atB.getMethod().getName()).isEqualTo("PUT");
        assertThat(atB.getUrl()).isEqualTo("/grpc/b?x=1");
        assertThat(atB.getHeader("X-Vendor")).isEqualTo("b");
        assertThat(atB.getBodyAsString()).isEqualTo("b-bytes");
        assertThat(atB.getHeader("Idempotency-Key")).isEqualTo("key-grpc");
    }

    /** gRPC writes and reads routes like REST: validated, shown, and a target kept until the route changes. */
    @Test
    void grpcProvidersCarryTheirRoute() throws Exception {
        try (GrpcClient grpc = new GrpcClient(one.hub().grpcPort())) {
            var stub = grpc.stub(one.adminToken("grpc-routes"));
            stub.createProvider(CreateProviderRequest.newBuilder()
                    .setProvider(grpcProvider("push-b", null))
                    .build());
            GrpcClient.Failure missing = GrpcClient.Failure.of(org.junit.jupiter.api.Assertions.assertThrows(
                    io.grpc.StatusRuntimeException.class,
                    () -> stub.createProvider(CreateProviderRequest.newBuilder()
                            .setProvider(grpcProvider(
                                    "push-a",
                                    Failover.newBuilder().addTo("push-nope").build()))
                            .build())));
            assertThat(missing.code()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
            assertThat(missing.badRequest().orElseThrow().getFieldViolations(0).getField())
                    .isEqualTo("config.failover.to[0]");

            var created = stub.createProvider(CreateProviderRequest.newBuilder()
                    .setProvider(grpcProvider(
                            "push-a",
                            Failover.newBuilder()
                                    .addTo("push-b")
                                    .addOnStatus(503)
                                    .build()))
                    .build());
            assertThat(created.getConfig().getFailover().getToList()).containsExactly("push-b");
            assertThat(created.getConfig().getFailover().getOnStatusList()).containsExactly(503);
            assertThat(stub.getProvider(GetProviderRequest.newBuilder()
                                    .setId("push-a")
                                    .build())
                            .getConfig()
                            .getFailover()
                            .getToList())
                    .containsExactly("push-b");

            GrpcClient.Failure routed = GrpcClient.Failure.of(org.junit.jupiter.api.Assertions.assertThrows(
                    io.grpc.StatusRuntimeException.class,
                    () -> stub.deleteProvider(
                            DeleteProviderRequest.newBuilder().setId("push-b").build())));
            assertThat(routed.code()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
            assertThat(routed.problem().getType()).isEqualTo("provider-in-route");
        }
    }

    private static io.integrationhub.dataplane.grpc.v1.Provider grpcProvider(String name, Failover failover) {
        ProviderConfig.Builder config = ProviderConfig.newBuilder().setAllowPrivateNetwork(true);
        if (failover != null) {
            config.setFailover(failover);
        }
        return io.integrationhub.dataplane.grpc.v1.Provider.newBuilder()
                .setName(name)
                .setType("custom")
                .setBaseUrl("http://127.0.0.1:" + b.port())
                .setAuth(Auth.newBuilder().setType("none"))
                .setConfig(config)
                .build();
    }
}
