package io.integrationhub.dataplane.openapi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.testkit.Canary;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A representative REST run against a real hub, every answer checked against the shipped OpenAPI
 * document: every documented operation is exercised with a success and (but for the probes) a hub
 * error, and not one answer may deviate. A response that drifts from the document fails here.
 */
@Tag("hub")
class OpenApiContractTest {
    private static final String API = "/api/v1/integrations";
    private static final Set<String> WITHOUT_ERRORS = Set.of("GET /health/live", "GET /health/ready", "GET /openapi");
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static final OpenApiContract CONTRACT = OpenApiContract.shipped();
    private static WireMockServer upstream;
    private static TestHub hub;
    private final List<String> violations = new ArrayList<>();

    @BeforeAll
    static void start() {
        upstream = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        upstream.stubFor(any(urlPathMatching("/ok/.*"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"ch_1\"}")));
        upstream.stubFor(any(urlPathMatching("/missing/.*"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "text/plain")
                        .withBody("no such thing")));
        upstream.stubFor(any(urlPathMatching("/fail/.*")).willReturn(aResponse().withStatus(500)));
        upstream.stubFor(any(urlPathMatching("/slow/.*"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        hub = TestHub.start(
                Map.of(), new Hub.Options(new RecordingSleeper(CLOCK), CLOCK, HostResolver.SYSTEM, new SecureRandom()));
    }

    @AfterAll
    static void stop() {
        hub.close();
        upstream.stop();
    }

    private Answer send(String method, String path, String token, String body, Map<String, String> headers) {
        Answer answer = hub.client().send(method, path, token, body, headers);
        violations.addAll(CONTRACT.check(method, path, answer));
        return answer;
    }

    private Answer json(String method, String path, String token, String body) {
        return send(method, path, token, body, Map.of("Content-Type", "application/json"));
    }

    private Answer get(String path, String token) {
        return send("GET", path, token, null, Map.of());
    }

    @Test
    void everyDocumentedOperationAnswersAsDocumentedInSuccessAndError() {
        String admin = hub.adminToken("oas");
        String readOnly = hub.token("oas", Scope.PROVIDERS_READ);
        String caller = hub.token("oas", Scope.CALL);

        // Providers.
        String psp = provider(
                admin,
                "psp",
                "{\"type\":\"api_key\",\"in\":\"header\",\"name\":\"X-Api-Key\",\"credentials\":{\"apiKey\":\""
                        + Canary.SECRET + "\"}}",
                "\"retry\": {\"maxAttempts\": 2}, \"circuitBreaker\": {\"failureThreshold\": 1000}");
        provider(
                admin,
                "fragile",
                "{\"type\":\"none\"}",
                "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1}");
        provider(admin, "tight", "{\"type\":\"none\"}", "\"rateLimitPerSec\": 1");
        provider(admin, "sluggish", "{\"type\":\"none\"}", "\"timeoutMs\": 200, \"retry\": {\"maxAttempts\": 1}");
        provider(admin, "off", "{\"type\":\"none\"}", "");
        provider(
                admin,
                "shared",
                "{\"type\":\"none\"}",
                "\"priorities\": {\"payments\": \"critical\", \"svc:reports@v2\": \"batch\"},"
                        + " \"priorityShares\": {\"batch\": 0.25}, \"moduleLimits\": {\"svc:reports@v2\": 3},"
                        + " \"maxQueueMs\": 2000");
        assertThat(json(
                                "POST",
                                API + "/providers",
                                admin,
                                Providers.local("psp", upstream.port(), "{\"type\":\"none\"}", ""))
                        .status())
                .isEqualTo(409);
        assertThat(json("POST", API + "/providers", admin, "{\"name\": \"Bad Name\", \"type\": \"fax\"}")
                        .status())
                .isEqualTo(422);
        assertThat(json("POST", API + "/providers", admin, "{\"name\": ").status())
                .isEqualTo(400);
        assertThat(send("POST", API + "/providers", admin, "name=x", Map.of("Content-Type", "text/plain"))
                        .status())
                .isEqualTo(415);
        assertThat(json("POST", API + "/providers", readOnly, "{}").status()).isEqualTo(403);
        assertThat(json("POST", API + "/providers", null, "{}").status()).isEqualTo(401);

        Answer page = get(API + "/providers?limit=2", admin);
        assertThat(page.status()).isEqualTo(200);
        assertThat(get(
                                API + "/providers?cursor="
                                        + page.json().path("nextCursor").asText(),
                                admin)
                        .status())
                .isEqualTo(200);
        assertThat(get(API + "/providers?cursor=not-ours", admin).status()).isEqualTo(422);

        assertThat(get(API + "/providers/psp", admin).status()).isEqualTo(200);
        assertThat(get(API + "/providers/" + psp, hub.adminToken("oas-other")).status())
                .isEqualTo(404);
        assertThat(get(API + "/providers/psp/health", admin).status()).isEqualTo(200);
        assertThat(get(API + "/providers/nope/health", admin).status()).isEqualTo(404);

        Map<String, String> patch = Map.of("Content-Type", "application/merge-patch+json", "If-Match", "\"1\"");
        assertThat(send("PATCH", API + "/providers/off", admin, "{\"status\": \"disabled\"}", patch)
                        .status())
                .isEqualTo(200);
        assertThat(send("PATCH", API + "/providers/off", admin, "{\"status\": \"active\"}", patch)
                        .status())
                .isEqualTo(412);
        assertThat(send(
                                "PATCH",
                                API + "/providers/psp",
                                admin,
                                "{\"config\": {\"timeoutMs\": 0}}",
                                Map.of("Content-Type", "application/merge-patch+json"))
                        .status())
                .isEqualTo(422);
        assertThat(send("PATCH", API + "/providers/nope", admin, "{}", Map.of("Content-Type", "application/json"))
                        .status())
                .isEqualTo(404);

        // Calls: the provider's answers pass through, the hub's errors are problems.
        Map<String, String> traced = Map.of(
                "Content-Type",
                "application/json",
                "traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(send(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"psp\", \"method\": \"POST\", \"path\": \"/ok/1\","
                                        + " \"body\": {\"amount\": 1}, \"idempotencyKey\": \"oas-1\"}",
                                traced)
                        .status())
                .isEqualTo(201);
        Answer replay = json(
                "POST",
                API + "/call",
                caller,
                "{\"provider\": \"psp\", \"method\": \"POST\", \"path\": \"/ok/1\","
                        + " \"body\": {\"amount\": 1}, \"idempotencyKey\": \"oas-1\"}");
        assertThat(replay.header("X-Idempotent-Replay")).contains("true");
        assertThat(json(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"psp\", \"method\": \"GET\", \"path\": \"/missing/1\"}")
                        .status())
                .isEqualTo(404);
        assertThat(json(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"ghost\", \"method\": \"GET\", \"path\": \"/ok/1\"}")
                        .status())
                .isEqualTo(404);
        assertThat(json(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"psp\", \"method\": \"BREW\", \"path\": \"/ok/1\"}")
                        .status())
                .isEqualTo(422);
        assertThat(json(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"off\", \"method\": \"GET\", \"path\": \"/ok/1\"}")
                        .status())
                .isEqualTo(409);
        Answer parked = json(
                "POST",
                API + "/call",
                caller,
                "{\"provider\": \"psp\", \"method\": \"POST\", \"path\": \"/fail/1\","
                        + " \"body\": {\"n\": 1}, \"idempotencyKey\": \"oas-dlq-1\"}");
        assertThat(parked.status()).isEqualTo(502);
        assertThat(json(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"psp\", \"method\": \"POST\", \"path\": \"/fail/2\","
                                        + " \"idempotencyKey\": \"oas-dlq-2\"}")
                        .status())
                .isEqualTo(502);
        assertThat(json(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"fragile\", \"method\": \"GET\", \"path\": \"/fail/3\"}")
                        .status())
                .isEqualTo(502);
        assertThat(json(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"fragile\", \"method\": \"GET\", \"path\": \"/fail/3\"}")
                        .status())
                .as("circuit open")
                .isEqualTo(503);
        assertThat(json(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"tight\", \"method\": \"GET\", \"path\": \"/ok/2\"}")
                        .status())
                .isEqualTo(201);
        assertThat(json(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"tight\", \"method\": \"GET\", \"path\": \"/ok/2\"}")
                        .status())
                .as("rate limited")
                .isEqualTo(429);
        assertThat(json(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"sluggish\", \"method\": \"GET\", \"path\": \"/slow/1\"}")
                        .status())
                .isEqualTo(504);
        Map<String, String> deadline = Map.of("Content-Type", "application/json", "X-Integration-Timeout-Ms", "100");
        assertThat(send(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"sluggish\", \"method\": \"GET\", \"path\": \"/slow/2\"}",
                                deadline)
                        .json()
                        .path("type")
                        .asText())
                .isEqualTo("deadline-exceeded");
        assertThat(send("GET", API + "/proxy/sluggish/slow/3", caller, null, deadline)
                        .status())
                .isEqualTo(504);
        assertThat(send(
                                "POST",
                                API + "/call",
                                caller,
                                "{\"provider\": \"sluggish\", \"method\": \"GET\", \"path\": \"/slow/4\"}",
                                Map.of("Content-Type", "application/json", "X-Integration-Timeout-Ms", "soon"))
                        .status())
                .isEqualTo(422);
        assertThat(json("POST", API + "/call", null, "{}").status()).isEqualTo(401);

        // The proxy route, every method.
        // (java.net.http drops Proxy-Authorization; the hub token as Authorization is the SDK-style alternative.)
        Map<String, String> proxyAuth = Map.of("Content-Type", "application/json");
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")) {
            String body = Set.of("POST", "PUT", "PATCH").contains(method) ? "{\"a\": 1}" : null;
            assertThat(send(method, API + "/proxy/psp/ok/items/7", caller, body, proxyAuth)
                            .status())
                    .as(method)
                    .isEqualTo(201);
            assertThat(send(method, API + "/proxy/ghost/ok/items/7", caller, body, proxyAuth)
                            .status())
                    .as(method)
                    .isEqualTo(404);
        }

        // Dead letters.
        String dlqAdmin = hub.token("oas", Scope.DLQ_READ, Scope.DLQ_WRITE);
        String entry = parked.json().path("dlqEntryId").asText();
        assertThat(get(API + "/dlq?provider=psp&status=pending", dlqAdmin).status())
                .isEqualTo(200);
        assertThat(get(API + "/dlq?limit=1", dlqAdmin).status()).isEqualTo(200);
        assertThat(get(API + "/dlq?status=lost", dlqAdmin).status()).isEqualTo(422);
        assertThat(get(API + "/dlq/" + entry + "?include=body", dlqAdmin).status())
                .isEqualTo(200);
        assertThat(get(API + "/dlq/" + entry, dlqAdmin).status()).isEqualTo(200);
        assertThat(get(API + "/dlq/" + entry, hub.token("oas-other", Scope.DLQ_READ))
                        .status())
                .isEqualTo(404);
        assertThat(send("POST", API + "/dlq/" + entry + "/retry", dlqAdmin, null, Map.of())
                        .status())
                .isEqualTo(202);
        assertThat(send("POST", API + "/dlq/01jc0000000000000000000000/retry", dlqAdmin, null, Map.of())
                        .status())
                .isEqualTo(404);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !hub.client()
                        .get(API + "/dlq/" + entry, dlqAdmin)
                        .json()
                        .path("status")
                        .asText()
                        .equals("retrying"));
        Answer batch = send("POST", API + "/dlq/retry-all?provider=psp", dlqAdmin, null, Map.of());
        assertThat(batch.status()).isEqualTo(202);
        assertThat(send("POST", API + "/dlq/retry-all?status=succeeded", dlqAdmin, null, Map.of())
                        .status())
                .isEqualTo(422);
        assertThat(get(API + "/dlq/retry-all/" + batch.json().path("batchId").asText(), dlqAdmin)
                        .status())
                .isEqualTo(200);
        assertThat(get(API + "/dlq/retry-all/01jc0000000000000000000000", dlqAdmin)
                        .status())
                .isEqualTo(404);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> hub.client()
                        .get(
                                API + "/dlq/retry-all/"
                                        + batch.json().path("batchId").asText(),
                                dlqAdmin)
                        .json()
                        .path("done")
                        .asBoolean());
        // A dlq-entry-conflict (deleting a retrying entry) needs an entry caught mid-replay; DlqApiTest drives it.
        assertThat(send("DELETE", API + "/dlq/" + entry, dlqAdmin, null, Map.of())
                        .status())
                .isEqualTo(204);
        assertThat(send("DELETE", API + "/dlq/" + entry, dlqAdmin, null, Map.of())
                        .status())
                .isEqualTo(404);

        // Deleting providers last (their dead letters stay readable).
        assertThat(send("DELETE", API + "/providers/tight", admin, null, Map.of("If-Match", "\"9\""))
                        .status())
                .isEqualTo(412);
        assertThat(send("DELETE", API + "/providers/tight", admin, null, Map.of())
                        .status())
                .isEqualTo(204);
        assertThat(send("DELETE", API + "/providers/tight", admin, null, Map.of())
                        .status())
                .isEqualTo(404);

        // Operations.
        assertThat(get("/health/live", null).status()).isEqualTo(200);
        assertThat(get("/health/ready", null).status()).isEqualTo(200);
        assertThat(get("/openapi", null).status()).isEqualTo(200);
        assertThat(get("/openapi?format=json", null).status()).isEqualTo(200);

        assertThat(violations)
                .as("answers that deviate from data-plane/api/openapi.yaml")
                .isEmpty();
        assertThat(CONTRACT.succeeded())
                .as("operations exercised with a success")
                .containsAll(CONTRACT.operations());
        Set<String> needErrors = new TreeSet<>(CONTRACT.operations());
        needErrors.removeAll(WITHOUT_ERRORS);
        assertThat(CONTRACT.failed())
                .as("operations exercised with a hub error")
                .containsAll(needErrors);
        assertThat(CONTRACT.succeeded())
                .as("every answer matched a documented path")
                .noneMatch(o -> o.contains("undocumented"));
    }

    private String provider(String token, String name, String auth, String config) {
        Answer created = json("POST", API + "/providers", token, Providers.local(name, upstream.port(), auth, config));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    @Test
    void theDocumentIsServedAsYamlAndAsJson() {
        Answer yaml = hub.client().get("/openapi", null);
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.header("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/yaml"));
        assertThat(yaml.body())
                .isEqualTo(new String(OpenApiRoutes.document(), java.nio.charset.StandardCharsets.UTF_8));
        Answer json = hub.client().send("GET", "/openapi", null, null, Map.of("Accept", "application/json"));
        assertThat(json.header("Content-Type")).contains("application/json");
        assertThat(json.json().path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(json.json().path("paths").has("/api/v1/integrations/call")).isTrue();
    }
}
