package io.integrationhub.dataplane.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.registry.Ids;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.SuiteCounts;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tenant B, with a valid token holding every scope, can neither read, change, call, retry nor
 * delete tenant A's resources on any REST route — and its answers are the same as for things that
 * do not exist at all, so they reveal nothing.
 */
@Tag("hub")
class TenantIsolationTest {
    private static final String API = "/api/v1/integrations";
    private static WireMockServer provider;
    private static TestHub hub;
    private static String providerId;
    private static String dlqId;
    private static String batchId;

    @BeforeAll
    static void start() {
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        AdjustableClock clock = new AdjustableClock();
        hub = TestHub.start(
                Map.of(), new Hub.Options(new RecordingSleeper(clock), clock, HostResolver.SYSTEM, new SecureRandom()));
        providerId = Providers.create(
                hub,
                "tenant-a",
                Providers.local(
                        "secret-psp",
                        provider.port(),
                        "{\"type\":\"bearer\",\"credentials\":{\"token\":\"" + Canary.SECRET + "\"}}",
                        "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
        Answer failed = send(
                "tenant-a",
                "POST",
                API + "/call",
                "{\"provider\":\"secret-psp\",\"method\":\"POST\",\"path\":\"/pay\","
                        + "\"body\":{\"card\":\"4242\"}}");
        dlqId = failed.json().path("dlqEntryId").asText();
        assertThat(dlqId).isNotEmpty();
        Answer batch = send("tenant-a", "POST", API + "/dlq/retry-all?status=failed", null);
        batchId = batch.json().path("batchId").asText();
        provider.resetRequests();
    }

    @AfterAll
    static void stop() {
        hub.close();
        provider.stop();
        SuiteCounts.print(
                "tenant isolation",
                "REST: " + (ROUTES_BY_PROVIDER.size() + ROUTES_BY_DLQ_ENTRY.size() + 3)
                        + " routes naming a resource (" + ROUTES_BY_PROVIDER.size() + " by provider id and name, "
                        + ROUTES_BY_DLQ_ENTRY.size()
                        + " by DLQ entry, batch progress, retry-all, lists), each answered to tenant B as for a missing resource;"
                        + " tenant header spoofing refused on every provider route");
    }

    private static Answer send(String tenant, String method, String path, String body) {
        return hub.client()
                .send(
                        method,
                        path,
                        hub.adminToken(tenant),
                        body,
                        body == null ? Map.of() : Map.of("Content-Type", "application/json"));
    }

    /** A route that names one resource, and how to reach it with a given reference. */
    private record Route(String method, String template, String body) {
        String path(String reference) {
            return template.replace("{ref}", reference);
        }
    }

    private static final List<Route> ROUTES_BY_PROVIDER = List.of(
            new Route("GET", API + "/providers/{ref}", null),
            new Route("GET", API + "/providers/{ref}/health", null),
            new Route("PATCH", API + "/providers/{ref}", "{\"status\":\"disabled\"}"),
            new Route("DELETE", API + "/providers/{ref}", null),
            new Route("POST", API + "/call", "{\"provider\":\"{ref}\",\"method\":\"GET\",\"path\":\"/\"}"),
            new Route("GET", API + "/proxy/{ref}/v1/anything", null));

    private static final List<Route> ROUTES_BY_DLQ_ENTRY = List.of(
            new Route("GET", API + "/dlq/{ref}", null),
            new Route("GET", API + "/dlq/{ref}?include=body", null),
            new Route("POST", API + "/dlq/{ref}/retry", null),
            new Route("DELETE", API + "/dlq/{ref}", null));

    @Test
    void anotherTenantCannotReachAProviderByIdOrNameAndLearnsNothing() {
        for (Route route : ROUTES_BY_PROVIDER) {
            for (String reference : List.of(providerId, "secret-psp")) {
                Answer foreign = send(
                        "tenant-b",
                        route.method(),
                        route.path(reference),
                        route.body() == null ? null : route.body().replace("{ref}", reference));
                String unknown = reference.equals(providerId) ? Ids.newId() : "no-such-provider";
                Answer missing = send(
                        "tenant-b",
                        route.method(),
                        route.path(unknown),
                        route.body() == null ? null : route.body().replace("{ref}", unknown));
                assertSameAsMissing(route + " " + reference, foreign, missing, reference, unknown);
            }
        }
        assertThat(provider.getAllServeEvents())
                .as("nothing reached tenant A's provider")
                .isEmpty();
        assertThat(send("tenant-a", "GET", API + "/providers/secret-psp", null)
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void anotherTenantCannotReachADeadLetterOrABatchAndLearnsNothing() {
        for (Route route : ROUTES_BY_DLQ_ENTRY) {
            String unknown = Ids.newId();
            assertSameAsMissing(
                    route.toString(),
                    send("tenant-b", route.method(), route.path(dlqId), route.body()),
                    send("tenant-b", route.method(), route.path(unknown), route.body()),
                    dlqId,
                    unknown);
        }
        String unknownBatch = Ids.newId();
        assertSameAsMissing(
                "batch progress",
                send("tenant-b", "GET", API + "/dlq/retry-all/" + batchId, null),
                send("tenant-b", "GET", API + "/dlq/retry-all/" + unknownBatch, null),
                batchId,
                unknownBatch);
        Answer retryAll = send("tenant-b", "POST", API + "/dlq/retry-all", null);
        assertThat(retryAll.status()).isEqualTo(202);
        assertThat(retryAll.body()).doesNotContain(dlqId);
        assertThat(send("tenant-a", "GET", API + "/dlq/" + dlqId, null)
                        .json()
                        .path("status")
                        .asText())
                .as("tenant A's entry untouched")
                .isIn("pending", "failed");
        assertThat(provider.getAllServeEvents())
                .as("no replay of tenant A's call")
                .isEmpty();
    }

    @Test
    void listsNeverShowAnotherTenantsResources() {
        for (String path : List.of(
                API + "/providers",
                API + "/dlq",
                API + "/dlq?provider=secret-psp",
                API + "/dlq?provider=" + providerId)) {
            Answer list = send("tenant-b", "GET", path, null);
            assertThat(list.status()).as(path + ": " + list.body()).isIn(200, 404, 422);
            assertThat(list.body())
                    .as(path)
                    .doesNotContain(providerId)
                    .doesNotContain(dlqId)
                    .doesNotContain("secret-psp\"");
        }
    }

    @Test
    void aTokenForOneTenantCannotActForAnother() {
        String tokenA = hub.adminToken("tenant-a");
        for (Route route : ROUTES_BY_PROVIDER) {
            Answer answer = hub.client()
                    .send(
                            route.method(),
                            route.path("secret-psp"),
                            tokenA,
                            route.body() == null ? null : route.body().replace("{ref}", "secret-psp"),
                            route.body() == null
                                    ? Map.of("X-Tenant-ID", "tenant-b")
                                    : Map.of("X-Tenant-ID", "tenant-b", "Content-Type", "application/json"));
            assertThat(answer.status()).as(route.toString()).isEqualTo(403);
            assertThat(answer.json().path("type").asText()).isEqualTo("tenant-mismatch");
        }
    }

    @Test
    void aTenantHeaderSentTwiceMustNameTheTokensTenantBothTimes() {
        String tokenB = hub.adminToken("tenant-b");
        for (List<String> tenants : List.of(List.of("tenant-b", "tenant-a"), List.of("tenant-a", "tenant-b"))) {
            for (Route route : ROUTES_BY_PROVIDER) {
                List<Map.Entry<String, String>> headers = new java.util.ArrayList<>();
                tenants.forEach(tenant -> headers.add(Map.entry("X-Tenant-ID", tenant)));
                if (route.body() != null) {
                    headers.add(Map.entry("Content-Type", "application/json"));
                }
                Answer answer = hub.client()
                        .send(
                                route.method(),
                                route.path(providerId),
                                tokenB,
                                route.body() == null ? null : route.body().replace("{ref}", providerId),
                                headers);
                assertThat(answer.status())
                        .as(route + " " + tenants + ": " + answer.body())
                        .isEqualTo(403);
                assertThat(answer.json().path("type").asText()).isEqualTo("tenant-mismatch");
            }
        }
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    private static void assertSameAsMissing(
            String what, Answer foreign, Answer missing, String reference, String unknown) {
        assertThat(foreign.status()).as(what + ": " + foreign.body()).isIn(404);
        assertThat(foreign.status()).as(what).isEqualTo(missing.status());
        assertThat(foreign.json().path("type").asText())
                .as(what)
                .isEqualTo(missing.json().path("type").asText());
        assertThat(foreign.json().path("detail").asText().replace(reference, "REF"))
                .as(what + ": the detail must read the same as for a missing resource")
                .isEqualTo(missing.json().path("detail").asText().replace(unknown, "REF"));
        assertThat(foreign.body()).doesNotContain(Canary.SECRET);
    }
}
