package io.integrationhub.dataplane.dlq;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The DLQ REST API on a standalone-style hub (no RabbitMQ URL: the in-process retry queue, events to
 * the log): listing and filters, the stored request without credentials, scopes, tenant isolation,
 * the retry state machine and deletion.
 */
@Tag("hub")
class DlqApiTest {
    static final String DLQ = "/api/v1/integrations/dlq";
    private static final String CALL = "/api/v1/integrations/call";
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static WireMockServer provider;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        provider.stubFor(any(urlPathMatching("/fail/.*")).willReturn(aResponse().withStatus(500)));
        provider.stubFor(any(urlPathMatching("/ok/.*"))
                .willReturn(aResponse().withStatus(201).withBody("{\"ok\":true}")));
        hub = TestHub.start(
                Map.of(), new Hub.Options(new RecordingSleeper(CLOCK), CLOCK, HostResolver.SYSTEM, new SecureRandom()));
        Providers.create(
                hub,
                "shop",
                Providers.local(
                        "psp",
                        provider.port(),
                        "{\"type\":\"api_key\",\"in\":\"header\",\"name\":\"X-Api-Key\",\"credentials\":{\"apiKey\":\""
                                + Canary.SECRET + "\"}}",
                        "\"retry\": {\"maxAttempts\": 2}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
        Providers.create(
                hub,
                "shop",
                Providers.local(
                        "sms",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
        Providers.create(
                hub,
                "other",
                Providers.local(
                        "psp",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
    }

    @AfterAll
    static void stop() {
        hub.close();
        provider.stop();
    }

    /**
     * A call that exhausts its attempts; returns its DLQ entry id. The caller sends the canary as a
     * key-like query parameter and in key headers: kept sealed, shown masked.
     */
    static String park(TestHub hub, String tenant, String providerName, String path, String key, String body) {
        Answer answer = hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token(tenant, Scope.CALL),
                        """
                {"provider": "%s", "method": "POST", "path": "%s", "query": {"mode": "test", "api_key": "%s"},
                 "headers": {"X-Request-Tag": "t-1", "X-Api-Key": "%s", "X-Auth-Token": "%s"},
                 "body": %s, "idempotencyKey": "%s"}""".formatted(providerName, path, Canary.SECRET, Canary.SECRET, Canary.SECRET, body, key),
                        Map.of("Content-Type", "application/json"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(502);
        return answer.json().path("dlqEntryId").asText();
    }

    private static Answer get(String path, String tenant, Scope... scopes) {
        return hub.client().get(path, hub.token(tenant, scopes));
    }

    private static Answer send(String method, String path, String tenant, Scope... scopes) {
        return hub.client().send(method, path, hub.token(tenant, scopes), null, Map.of());
    }

    @Test
    void anEntryShowsItsRequestWithoutCredentialsAndItsBodyOnlyWhenAskedFor() {
        String id = park(hub, "shop", "psp", "/fail/charges", "show-1", "{\"card\":\"tok-visa-body\"}");
        Answer entry = get(DLQ + "/" + id, "shop", Scope.DLQ_READ);
        assertThat(entry.status()).isEqualTo(200);
        JsonNode doc = entry.json();
        assertThat(doc.path("id").asText()).isEqualTo(id);
        assertThat(doc.path("status").asText()).isEqualTo("pending");
        assertThat(doc.path("idempotencyKey").asText()).isEqualTo("show-1");
        assertThat(doc.path("attempts").asInt()).isEqualTo(2);
        assertThat(doc.path("lastError").path("kind").asText()).isEqualTo("upstream_status");
        assertThat(doc.path("lastError").path("status").asInt()).isEqualTo(500);
        assertThat(Instant.parse(doc.path("expiresAt").asText()))
                .isEqualTo(Instant.parse(doc.path("createdAt").asText()).plus(Duration.ofDays(30)));
        JsonNode request = doc.path("request");
        assertThat(request.path("method").asText()).isEqualTo("POST");
        assertThat(request.path("path").asText()).isEqualTo("/fail/charges");
        assertThat(request.path("headers").path("X-Request-Tag").get(0).asText())
                .isEqualTo("t-1");
        // The provider's key header and key-like query parameters are masked even where the caller set them.
        assertThat(request.path("headers").path("X-Api-Key").get(0).asText()).isEqualTo("***");
        assertThat(request.path("query").asText())
                .contains("mode=test")
                .contains("api_key=***")
                .doesNotContain(Canary.SECRET);
        assertThat(request.path("headers").path("X-Auth-Token").get(0).asText()).isEqualTo("***");
        assertThat(request.path("bodySize").asInt()).isEqualTo("{\"card\":\"tok-visa-body\"}".length());
        assertThat(request.has("bodyBase64")).isFalse();
        assertThat(entry.body()).doesNotContain("tok-visa-body").doesNotContain(Canary.SECRET);

        JsonNode withBody = get(DLQ + "/" + id + "?include=body", "shop", Scope.DLQ_READ)
                .json()
                .path("request");
        assertThat(new String(
                        Base64.getDecoder().decode(withBody.path("bodyBase64").asText()), StandardCharsets.UTF_8))
                .isEqualTo("{\"card\":\"tok-visa-body\"}");
        assertThat(withBody.path("contentType").asText()).isEqualTo("application/json");
        assertThat(get(DLQ + "/" + id + "?include=secrets", "shop", Scope.DLQ_READ)
                        .status())
                .isEqualTo(422);
    }

    @Test
    void scopesAndTenantsAreEnforced() {
        String id = park(hub, "shop", "psp", "/fail/scoped", "scope-1", "{}");
        assertThat(hub.client().get(DLQ, null).status()).isEqualTo(401);
        assertThat(get(DLQ, "shop", Scope.CALL).json().path("type").asText()).isEqualTo("forbidden");
        assertThat(get(DLQ + "/" + id, "shop", Scope.DLQ_WRITE).status()).isEqualTo(403);
        assertThat(send("POST", DLQ + "/" + id + "/retry", "shop", Scope.DLQ_READ)
                        .status())
                .isEqualTo(403);
        assertThat(send("POST", DLQ + "/retry-all", "shop", Scope.DLQ_READ).status())
                .isEqualTo(403);
        assertThat(send("DELETE", DLQ + "/" + id, "shop", Scope.DLQ_READ).status())
                .isEqualTo(403);

        // Another tenant's entry does not exist for it: 404, for reading, retrying and deleting alike.
        Answer foreign = get(DLQ + "/" + id, "other", Scope.DLQ_READ);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().path("type").asText()).isEqualTo("dlq-entry-not-found");
        assertThat(send("POST", DLQ + "/" + id + "/retry", "other", Scope.DLQ_WRITE)
                        .status())
                .isEqualTo(404);
        assertThat(send("DELETE", DLQ + "/" + id, "other", Scope.DLQ_WRITE).status())
                .isEqualTo(404);
        assertThat(get(DLQ + "?limit=200", "other", Scope.DLQ_READ)
                        .json()
                        .path("items")
                        .findValuesAsText("id"))
                .doesNotContain(id);
        assertThat(get(DLQ + "/" + id, "shop", Scope.DLQ_READ)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("pending");
        assertThat(get(DLQ + "/not-an-id", "shop", Scope.DLQ_READ).status()).isEqualTo(404);
    }

    @Test
    void theListPagesWithACursorAndFiltersByProviderStatusAndTime() {
        String tenant = "pages-" + UUID.randomUUID().toString().substring(0, 8);
        Providers.create(
                hub,
                tenant,
                Providers.local(
                        "pay",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
        String smsId = Providers.create(
                hub,
                tenant,
                Providers.local(
                        "text",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
        List<String> pay = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pay.add(park(hub, tenant, "pay", "/fail/p" + i, "page-" + i, "{}"));
        }
        Instant between = Instant.parse(get(DLQ + "/" + pay.get(4), tenant, Scope.DLQ_READ)
                        .json()
                        .path("createdAt")
                        .asText())
                .plusNanos(1000);
        String text = park(hub, tenant, "text", "/fail/t", "text-1", "{}");

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page = get(DLQ + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), tenant, Scope.DLQ_READ);
            assertThat(page.status()).isEqualTo(200);
            page.json().path("items").forEach(item -> seen.add(item.path("id").asText()));
            cursor = page.json().path("nextCursor").isNull()
                    ? null
                    : page.json().path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactly(pay.get(0), pay.get(1), pay.get(2), pay.get(3), pay.get(4), text);
        assertThat(pages).isEqualTo(3);

        assertThat(ids(get(DLQ + "?provider=text", tenant, Scope.DLQ_READ))).containsExactly(text);
        assertThat(ids(get(DLQ + "?provider=" + smsId, tenant, Scope.DLQ_READ))).containsExactly(text);
        assertThat(ids(get(DLQ + "?createdFrom=" + between, tenant, Scope.DLQ_READ)))
                .containsExactly(text);
        assertThat(ids(get(DLQ + "?createdTo=" + between, tenant, Scope.DLQ_READ)))
                .containsExactlyElementsOf(pay);
        assertThat(ids(get(DLQ + "?status=succeeded,failed", tenant, Scope.DLQ_READ)))
                .isEmpty();
        assertThat(ids(get(DLQ + "?status=pending&provider=pay", tenant, Scope.DLQ_READ)))
                .containsExactlyElementsOf(pay);

        assertThat(get(DLQ + "?provider=nope", tenant, Scope.DLQ_READ)
                        .json()
                        .path("type")
                        .asText())
                .isEqualTo("provider-not-found");
        Answer bad = get(DLQ + "?status=lost&createdFrom=yesterday", tenant, Scope.DLQ_READ);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(get(DLQ + "?createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z", tenant, Scope.DLQ_READ)
                        .status())
                .isEqualTo(422);
        assertThat(get(DLQ + "?cursor=bogus", tenant, Scope.DLQ_READ).status()).isEqualTo(422);
        assertThat(get(DLQ + "?limit=0", tenant, Scope.DLQ_READ).status()).isEqualTo(422);
    }

    @Test
    void aRetryReplaysOnceThroughTheInProcessQueueAndASecondRetryIsRefused() throws Exception {
        provider.stubFor(
                any(urlPathMatching("/flaky/one")).willReturn(aResponse().withStatus(503)));
        String id = park(hub, "shop", "psp", "/flaky/one", "flaky-1", "{\"amount\":5}");
        provider.stubFor(any(urlPathMatching("/flaky/one"))
                .willReturn(aResponse().withStatus(200).withBody("{}")));
        int before = upstream("/flaky/one");

        Answer retry = send("POST", DLQ + "/" + id + "/retry", "shop", Scope.DLQ_WRITE);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.header("Location")).contains(DLQ + "/" + id);
        // A double click: refused whether the replay still runs (retrying) or already ended (succeeded).
        Answer again = send("POST", DLQ + "/" + id + "/retry", "shop", Scope.DLQ_WRITE);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("type").asText()).isEqualTo("dlq-entry-conflict");

        await().atMost(Duration.ofSeconds(15)).until(() -> status(id).equals("succeeded"));
        assertThat(upstream("/flaky/one") - before).isEqualTo(1);
        assertThat(provider.findAll(anyRequestedFor(urlPathMatching("/flaky/one")))
                        .getLast()
                        .getHeader("Idempotency-Key"))
                .isEqualTo("flaky-1");
        assertThat(send("POST", DLQ + "/" + id + "/retry", "shop", Scope.DLQ_WRITE)
                        .json()
                        .path("entryStatus")
                        .asText())
                .isEqualTo("succeeded");
        assertThat(events(id)).containsSubsequence("dlq.entry.created", "dlq.entry.retried", "dlq.entry.succeeded");
        // Deleting a resolved entry is allowed and leaves an event.
        assertThat(send("DELETE", DLQ + "/" + id, "shop", Scope.DLQ_WRITE).status())
                .isEqualTo(204);
        assertThat(get(DLQ + "/" + id, "shop", Scope.DLQ_READ).status()).isEqualTo(404);
        assertThat(events(id)).last().isEqualTo("dlq.entry.deleted");
    }

    @Test
    void aReplayThatFailsAgainEndsFailedWithItsNewErrorAndCanBeRetriedAgain() throws Exception {
        provider.stubFor(
                any(urlPathMatching("/down/one")).willReturn(aResponse().withStatus(500)));
        String id = park(hub, "shop", "sms", "/down/one", "down-1", "{}");
        provider.stubFor(
                any(urlPathMatching("/down/one")).willReturn(aResponse().withStatus(504)));
        assertThat(send("POST", DLQ + "/" + id + "/retry", "shop", Scope.DLQ_WRITE)
                        .status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> status(id).equals("failed"));
        JsonNode entry = get(DLQ + "/" + id, "shop", Scope.DLQ_READ).json();
        assertThat(entry.path("lastError").path("status").asInt()).isEqualTo(504);
        assertThat(entry.path("attempts").asInt()).isEqualTo(2);
        assertThat(events(id)).contains("dlq.entry.failed");

        provider.stubFor(
                any(urlPathMatching("/down/one")).willReturn(aResponse().withStatus(200)));
        assertThat(send("POST", DLQ + "/" + id + "/retry", "shop", Scope.DLQ_WRITE)
                        .status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> status(id).equals("succeeded"));
    }

    @Test
    void aReplayThatCannotRunNowIsPutOffAndRunsOnceTheProviderIsBack() throws Exception {
        String tenant = "later-" + UUID.randomUUID().toString().substring(0, 8);
        Providers.create(
                hub,
                tenant,
                Providers.local(
                        "pausable",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
        provider.stubFor(
                any(urlPathMatching("/later/.*")).willReturn(aResponse().withStatus(500)));
        String id = park(hub, tenant, "pausable", "/later/x", "later-1", "{}");
        provider.stubFor(
                any(urlPathMatching("/later/.*")).willReturn(aResponse().withStatus(200)));
        String patch = Providers.PATH + "/pausable";
        assertThat(hub.client()
                        .send(
                                "PATCH",
                                patch,
                                hub.adminToken(tenant),
                                "{\"status\":\"disabled\"}",
                                Map.of("Content-Type", "application/json"))
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> hub.client()
                                .send(
                                        "POST",
                                        CALL,
                                        hub.token(tenant, Scope.CALL),
                                        "{\"provider\":\"pausable\",\"method\":\"GET\",\"path\":\"/later/probe\"}",
                                        Map.of("Content-Type", "application/json"))
                                .status()
                        == 409);
        int before = upstream("/later/x");

        assertThat(send("POST", DLQ + "/" + id + "/retry", tenant, Scope.DLQ_WRITE)
                        .status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> deferrals(id) >= 1);
        assertThat(status(id, tenant)).isEqualTo("retrying");
        assertThat(upstream("/later/x")).isEqualTo(before);

        hub.client()
                .send(
                        "PATCH",
                        patch,
                        hub.adminToken(tenant),
                        "{\"status\":\"active\"}",
                        Map.of("Content-Type", "application/json"));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id, tenant).equals("succeeded"));
        assertThat(upstream("/later/x") - before).isEqualTo(1);
    }

    @Test
    void retryAllQueuesTheMatchingEntriesAndItsProgressCanBeFollowed() {
        String tenant = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
        Providers.create(
                hub,
                tenant,
                Providers.local(
                        "bulk",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
        provider.stubFor(any(urlPathMatching("/bulk/.*")).willReturn(aResponse().withStatus(500)));
        for (int i = 0; i < 6; i++) {
            park(hub, tenant, "bulk", "/bulk/" + i, "bulk-" + i, "{}");
        }
        provider.stubFor(any(urlPathMatching("/bulk/.*")).willReturn(aResponse().withStatus(200)));
        assertThat(send("POST", DLQ + "/retry-all?status=succeeded", tenant, Scope.DLQ_WRITE)
                        .status())
                .isEqualTo(422);

        Answer batch = send("POST", DLQ + "/retry-all?provider=bulk&status=pending", tenant, Scope.DLQ_WRITE);
        assertThat(batch.status()).isEqualTo(202);
        assertThat(batch.json().path("queued").asInt()).isEqualTo(6);
        String statusUrl = batch.json().path("statusUrl").asText();
        assertThat(batch.header("Location")).contains(statusUrl);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> get(statusUrl, tenant, Scope.DLQ_READ)
                        .json()
                        .path("done")
                        .asBoolean());
        JsonNode progress = get(statusUrl, tenant, Scope.DLQ_READ).json();
        assertThat(progress.path("succeeded").asInt()).isEqualTo(6);
        assertThat(progress.path("retrying").asInt()).isZero();
        assertThat(progress.path("removed").asInt()).isZero();
        assertThat(get(statusUrl, "shop", Scope.DLQ_READ).status()).isEqualTo(404);

        // Nothing left to retry: an empty batch, still followable.
        Answer empty = send("POST", DLQ + "/retry-all?provider=bulk", tenant, Scope.DLQ_WRITE);
        assertThat(empty.json().path("queued").asInt()).isZero();
        assertThat(get(empty.json().path("statusUrl").asText(), tenant, Scope.DLQ_READ)
                        .json()
                        .path("done")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void anEntryIsNotDeletedWhileItsRetryRuns() throws Exception {
        String id = park(hub, "shop", "sms", "/fail/busy", "busy-1", "{}");
        try (Connection db = hub.database().connect();
                PreparedStatement mark =
                        db.prepareStatement("UPDATE dlq_entries SET status = 'retrying' WHERE id = ?")) {
            mark.setString(1, id);
            mark.executeUpdate();
        }
        Answer refused = send("DELETE", DLQ + "/" + id, "shop", Scope.DLQ_WRITE);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("status").asInt())
                .as("RFC 9457: the HTTP status")
                .isEqualTo(409);
        assertThat(refused.json().path("entryStatus").asText()).isEqualTo("retrying");
        assertThat(get(DLQ + "/" + id, "shop", Scope.DLQ_READ).status()).isEqualTo(200);
        assertThat(send("PUT", DLQ + "/" + id, "shop", Scope.DLQ_WRITE).status())
                .isEqualTo(405);
    }

    @Test
    void retriesTheInProcessQueueLostAtAStopAreQueuedAgainAtTheNextStart() throws Exception {
        provider.stubFor(
                any(urlPathMatching("/orphan/.*")).willReturn(aResponse().withStatus(500)));
        String id = park(hub, "shop", "sms", "/orphan/1", "orphan-1", "{}");
        provider.stubFor(
                any(urlPathMatching("/orphan/.*")).willReturn(aResponse().withStatus(200)));
        // As if the process stopped after its relay handed the retry to the in-process queue and before the replay ran.
        try (Connection db = hub.database().connect();
                PreparedStatement mark = db.prepareStatement(
                        "UPDATE dlq_entries SET status = 'retrying', retry_token = 'token-of-a-lost-message' WHERE id = ?")) {
            mark.setString(1, id);
            mark.executeUpdate();
        }
        assertThat(status(id)).isEqualTo("retrying");
        try (TestHub restarted = TestHub.sharing(
                hub.database(),
                Map.of(),
                new Hub.Options(new RecordingSleeper(CLOCK), CLOCK, HostResolver.SYSTEM, new SecureRandom()))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> status(id).equals("succeeded"));
        }
        assertThat(upstream("/orphan/1")).isEqualTo(2);
    }

    private static List<String> ids(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static int upstream(String path) {
        return provider.findAll(anyRequestedFor(urlPathMatching(path))).size();
    }

    private static String status(String id) {
        return status(id, "shop");
    }

    private static String status(String id, String tenant) {
        return get(DLQ + "/" + id, tenant, Scope.DLQ_READ).json().path("status").asText();
    }

    private static int deferrals(String id) throws Exception {
        try (Connection db = hub.database().connect();
                PreparedStatement q = db.prepareStatement("SELECT deferrals FROM dlq_entries WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet row = q.executeQuery()) {
                return row.next() ? row.getInt(1) : -1;
            }
        }
    }

    static List<String> events(TestHub hub, String entryId) throws Exception {
        List<String> types = new ArrayList<>();
        try (Connection db = hub.database().connect();
                PreparedStatement q = db.prepareStatement(
                        "SELECT type FROM outbox WHERE payload->'data'->>'dlqEntryId' = ? ORDER BY seq")) {
            q.setString(1, entryId);
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
        }
        return types;
    }

    private static List<String> events(String entryId) throws Exception {
        return events(hub, entryId);
    }
}
