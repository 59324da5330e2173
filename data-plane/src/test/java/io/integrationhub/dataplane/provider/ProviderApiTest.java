package io.integrationhub.dataplane.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.integrationhub.dataplane.GrpcClient;
import io.integrationhub.dataplane.HubClient;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.grpc.v1.Provider;
import io.integrationhub.dataplane.grpc.v1.UpdateProviderRequest;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.testkit.Canary;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The provider REST API over real HTTP against a real Postgres. */
@Tag("hub")
class ProviderApiTest {
    private static final String PATH = "/api/v1/integrations/providers";
    private static TestHub hub;
    private static HubClient http;

    @BeforeAll
    static void start() {
        // Production's default: provider URLs must be https.
        hub = TestHub.start(Map.of("INTEGRATION_ALLOW_INSECURE_HTTP", "false"));
        http = hub.client();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static String provider(String name) {
        return """
                {"name": "%s", "type": "payment", "baseUrl": "https://api.payments.test/v1",
                 "auth": {"type": "api_key", "in": "header", "name": "X-Api-Key", "credentials": {"apiKey": "%s"}},
                 "config": {"timeoutMs": 5000, "retry": {"maxAttempts": 3, "baseDelayMs": 200}}}""".formatted(name, Canary.SECRET);
    }

    private Answer create(String tenant, String name) {
        Answer answer = http.send(
                "POST",
                PATH,
                hub.adminToken(tenant),
                provider(name),
                Map.of("Content-Type", "application/json", "X-Tenant-ID", tenant));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer;
    }

    private Answer patch(String tenant, String idOrName, String body, String ifMatch) {
        Map<String, String> headers =
                new java.util.HashMap<>(Map.of("Content-Type", "application/merge-patch+json", "X-Tenant-ID", tenant));
        if (ifMatch != null) {
            headers.put("If-Match", ifMatch);
        }
        return http.send("PATCH", PATH + "/" + idOrName, hub.adminToken(tenant), body, headers);
    }

    @Test
    void createsReadsPatchesAndDeletesAProvider() {
        Answer created = create("acme", "stripe");
        JsonNode doc = created.json();
        String id = doc.path("id").asText();
        assertThat(created.header("Location")).contains(PATH + "/" + id);
        assertThat(created.header("ETag")).contains("\"1\"");
        assertThat(doc.path("tenantId").asText()).isEqualTo("acme");
        assertThat(doc.path("managedBy").asText()).isEqualTo("api");
        assertThat(doc.path("auth").path("credentials").path("apiKey").asText()).isEqualTo("***");
        assertThat(doc.path("config").path("retry").path("maxAttempts").asInt()).isEqualTo(3);
        assertThat(doc.path("config").path("retry").path("multiplier").asDouble())
                .isEqualTo(2.0);
        assertThat(doc.path("config").path("rateLimitPerSec").asInt())
                .as("instance default")
                .isEqualTo(100);

        Answer byName = http.get(PATH + "/stripe", hub.token("acme", Scope.PROVIDERS_READ));
        assertThat(byName.status()).isEqualTo(200);
        assertThat(byName.json()).isEqualTo(doc);
        assertThat(http.get(PATH + "/" + id, hub.token("acme", Scope.PROVIDERS_READ))
                        .json())
                .isEqualTo(doc);

        Answer patched = patch("acme", id, "{\"status\": \"disabled\", \"config\": {\"timeoutMs\": 1500}}", "\"1\"");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.header("ETag")).contains("\"2\"");
        assertThat(patched.json().path("status").asText()).isEqualTo("disabled");
        assertThat(patched.json().path("config").path("timeoutMs").asInt()).isEqualTo(1500);
        assertThat(patched.json()
                        .path("config")
                        .path("retry")
                        .path("maxAttempts")
                        .asInt())
                .as("untouched by the patch")
                .isEqualTo(3);
        assertThat(patched.json()
                        .path("auth")
                        .path("credentials")
                        .path("apiKey")
                        .asText())
                .as("credentials kept")
                .isEqualTo("***");

        Answer deleted =
                http.send("DELETE", PATH + "/" + id, hub.adminToken("acme"), null, Map.of("If-Match", "\"2\""));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(http.get(PATH + "/" + id, hub.adminToken("acme")).status()).isEqualTo(404);
        assertThat(http.get(PATH + "/stripe", hub.adminToken("acme"))
                        .json()
                        .path("type")
                        .asText())
                .isEqualTo("provider-not-found");
    }

    @Test
    void storedCredentialsNeverFollowAMovedDestinationOverRestOrGrpc() throws Exception {
        create("movers", "psp");
        String oauth = """
                {"name": "idp", "type": "custom", "baseUrl": "https://api.idp.test",
                 "auth": {"type": "oauth2_client_credentials", "tokenUrl": "https://login.idp.test/token",
                          "credentials": {"clientId": "c", "clientSecret": "%s"}}}""".formatted(Canary.SECRET);
        assertThat(http.send("POST", PATH, hub.adminToken("movers"), oauth, Map.of("Content-Type", "application/json"))
                        .status())
                .isEqualTo(201);
        for (String[] move : new String[][] {
            {"psp", "{\"baseUrl\": \"https://attacker.test/v1\"}", "baseUrl"},
            {"psp", "{\"baseUrl\": \"https://api.payments.test:8443/v1\"}", "baseUrl"},
            {"psp", "{\"baseUrl\": \"https://API.payments.test.attacker.test/v1\"}", "baseUrl"},
            {"idp", "{\"auth\": {\"tokenUrl\": \"https://attacker.test/token\"}}", "auth.tokenUrl"},
            {"idp", "{\"auth\": {\"tokenUrl\": \"https://login.idp.test/other\"}}", "auth.tokenUrl"},
            {"idp", "{\"baseUrl\": \"https://attacker.test\"}", "baseUrl"}
        }) {
            Answer refused = patch("movers", move[0], move[1], null);
            assertThat(refused.status()).as(move[1] + ": " + refused.body()).isEqualTo(422);
            assertThat(refused.json().path("type").asText()).isEqualTo("validation");
            assertThat(refused.json().path("errors").get(0).path("field").asText())
                    .isEqualTo(move[2]);
            assertThat(refused.json().path("errors").get(0).path("message").asText())
                    .contains("credentials-follow-destination");
        }
        assertThat(http.get(PATH + "/psp", hub.adminToken("movers"))
                        .json()
                        .path("version")
                        .asInt())
                .as("nothing written")
                .isEqualTo(1);

        // Same scheme, host and port (default port spelled out, host case): the credentials may stay.
        assertThat(patch("movers", "psp", "{\"baseUrl\": \"https://Api.Payments.test:443/v2\"}", null)
                        .status())
                .isEqualTo(200);
        // Moving with the credentials in the same write is allowed.
        Answer moved = patch(
                "movers",
                "psp",
                "{\"baseUrl\": \"https://psp2.test\", \"auth\": {\"credentials\": {\"apiKey\": \"new-key\"}}}",
                null);
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().path("baseUrl").asText()).isEqualTo("https://psp2.test");

        try (GrpcClient grpc = new GrpcClient(hub.hub().grpcPort())) {
            StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> grpc.stub(hub.adminToken("movers"))
                            .updateProvider(UpdateProviderRequest.newBuilder()
                                    .setId("psp")
                                    .setProvider(Provider.newBuilder().setBaseUrl("https://attacker.test"))
                                    .setUpdateMask(FieldMask.newBuilder().addPaths("base_url"))
                                    .build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            var violation = GrpcClient.Failure.of(e).badRequest().orElseThrow().getFieldViolations(0);
            assertThat(violation.getField()).isEqualTo("baseUrl");
            assertThat(violation.getDescription()).contains("credentials-follow-destination");
        }
        assertThat(http.get(PATH + "/psp", hub.adminToken("movers"))
                        .json()
                        .path("baseUrl")
                        .asText())
                .isEqualTo("https://psp2.test");
    }

    @Test
    void twoPatchesWithTheSameIfMatchResultInExactlyOnePreconditionFailure() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = "race" + round;
            create("racers", name);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int timeout = 1000 + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return patch("racers", name, "{\"config\": {\"timeoutMs\": " + timeout + "}}", "\"1\"");
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                statuses.add(answer.get().status());
            }
            pool.shutdown();
            assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        }
        Answer stale = patch("racers", "race0", "{\"status\": \"disabled\"}", "\"1\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().path("type").asText()).isEqualTo("precondition-failed");
        assertThat(patch("racers", "race0", "{\"status\": \"disabled\"}", "\"nonsense")
                        .status())
                .isEqualTo(412);
    }

    @Test
    void anotherTenantGetsNotFoundByIdAndByNameAndNeverSeesItInAList() {
        String id = create("tenant-a", "secret-sms").json().path("id").asText();
        String tokenB = hub.adminToken("tenant-b");
        for (String ref : List.of(id, "secret-sms")) {
            Answer answer = http.get(PATH + "/" + ref, tokenB);
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().path("type").asText()).isEqualTo("provider-not-found");
            assertThat(patch("tenant-b", ref, "{\"status\":\"disabled\"}", null).status())
                    .isEqualTo(404);
            assertThat(http.send("DELETE", PATH + "/" + ref, tokenB, null, Map.of())
                            .status())
                    .isEqualTo(404);
        }
        Answer list = http.get(PATH, tokenB);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(id).doesNotContain("secret-sms");
        // Tenant A's provider is untouched by all of that.
        assertThat(http.get(PATH + "/" + id, hub.adminToken("tenant-a"))
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void pagesReturnEveryRowExactlyOnceWhileRowsAreInsertedConcurrently() throws Exception {
        String tenant = "pager";
        Set<String> existing = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            existing.add(create(tenant, "pre" + i).json().path("id").asText());
        }
        AtomicBoolean paging = new AtomicBoolean(true);
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            while (paging.get()) {
                create(tenant, "during" + n++);
            }
            return n;
        });
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page =
                    http.get(PATH + "?limit=4" + (cursor == null ? "" : "&cursor=" + cursor), hub.adminToken(tenant));
            assertThat(page.status()).isEqualTo(200);
            page.json().path("items").forEach(item -> seen.add(item.path("id").asText()));
            cursor = page.json().path("nextCursor").isNull()
                    ? null
                    : page.json().path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        paging.set(false);
        assertThat(writer.get()).isPositive();
        assertThat(pages).isGreaterThan(5);
        assertThat(seen).doesNotHaveDuplicates().containsAll(existing);
    }

    @Test
    void badCursorsAndLimitsAreValidationErrors() {
        String token = hub.adminToken("cursors");
        for (String query : List.of("?cursor=%21%21", "?cursor=bm90LWFuLWlk", "?limit=0", "?limit=201", "?limit=x")) {
            Answer answer = http.get(PATH + query, token);
            assertThat(answer.status()).as(query).isEqualTo(422);
            assertThat(answer.json().path("type").asText()).isEqualTo("validation");
        }
    }

    @Test
    void operatorManagedProvidersAreReadOnlyOverRest() {
        try (Database db = Database.connectAndMigrate(hub.database().settings())) {
            // The hub under test was given its own master key; a row sealed under another key is still
            // readable (credentials are not opened by GET), which is all this test needs.
            ProviderRepository operatorSide = new ProviderRepository(
                    db.jdbi(), new Sealer(MasterKeys.parse(MasterKeys.generateSpec("op"), null)), Clock.systemUTC());
            operatorSide.create(
                    "kube",
                    new ProviderValidator(false).validateNew(Json.mapper().readTree(provider("from-crd"))),
                    ManagedBy.OPERATOR);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(http.get(PATH + "/from-crd", hub.adminToken("kube"))
                        .json()
                        .path("managedBy")
                        .asText())
                .isEqualTo("operator");
        Answer patch = patch("kube", "from-crd", "{\"status\":\"disabled\"}", null);
        assertThat(patch.status()).isEqualTo(409);
        assertThat(patch.json().path("type").asText()).isEqualTo("managed-by-operator");
        assertThat(patch.json().path("detail").asText()).contains("kubectl");
        assertThat(http.send("DELETE", PATH + "/from-crd", hub.adminToken("kube"), null, Map.of())
                        .status())
                .isEqualTo(409);
        assertThat(http.get(PATH + "/from-crd", hub.adminToken("kube"))
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("active");
    }

    @Test
    void referencesThatCannotNameAProviderAreNotFoundWithoutReachingTheDatabase() {
        String token = hub.adminToken("refs");
        for (String reference : List.of("%00", "a%00b", "UPPER", "with_underscore", "x".repeat(64), "%C3%A9")) {
            Answer answer = http.get(PATH + "/" + reference, token);
            assertThat(answer.status()).as(reference + ": " + answer.body()).isEqualTo(404);
            assertThat(answer.json().path("type").asText()).isEqualTo("provider-not-found");
        }
        Answer call = http.send(
                "POST",
                "/api/v1/integrations/call",
                hub.token("refs", Scope.CALL),
                "{\"provider\":\"\\u0000\",\"method\":\"GET\",\"path\":\"/\"}",
                Map.of("Content-Type", "application/json"));
        assertThat(call.status()).as(call.body()).isEqualTo(404);
    }

    @Test
    void aDuplicateNameIsAConflict() {
        create("dupes", "twilio");
        Answer again = http.post(PATH, hub.adminToken("dupes"), provider("twilio"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("type").asText()).isEqualTo("provider-name-taken");
    }

    @Test
    void badDocumentsAreRejectedWithEveryFieldNamedAndNothingWritten() throws Exception {
        String token = hub.adminToken("strict");
        Map<String, String> cases = Map.of(
                "{\"name\": \"a\", \"type\": \"sms\", \"baseUrl\": \"https://a.test\", \"auth\": {\"type\": \"kerberos\"}}",
                        "auth.type",
                "{\"name\": \"a\", \"type\": \"sms\", \"baseUrl\": \"http://a.test\"}", "baseUrl",
                "{\"name\": \"Not_DNS\", \"type\": \"sms\", \"baseUrl\": \"https://a.test\"}", "name",
                "{\"name\": \"a\", \"type\": \"sms\", \"baseUrl\": \"https://a.test\", \"config\": {\"timeoutMs\": 30001}}",
                        "config.timeoutMs",
                "{\"name\": \"a\", \"type\": \"sms\", \"baseUrl\": \"https://a.test\", \"config\": {\"retry\": {\"baseDelayMs\": -1, \"maxAttempts\": -3}}}",
                        "config.retry.baseDelayMs",
                "{\"name\": 7, \"type\": true, \"baseUrl\": [], \"config\": {\"timeoutMs\": \"fast\"}}",
                        "config.timeoutMs");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Answer answer = http.post(PATH, token, c.getKey());
            assertThat(answer.status()).as(c.getKey()).isEqualTo(422);
            assertThat(answer.header("Content-Type")).contains("application/problem+json");
            assertThat(answer.json().path("type").asText()).isEqualTo("validation");
            assertThat(answer.json().path("errors").findValuesAsText("field")).contains(c.getValue());
        }
        Answer malformed = http.post(PATH, token, "{\"name\": \"a\",");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("type").asText()).isEqualTo("malformed-request");
        Answer deep = http.post(PATH, token, "[".repeat(5000) + "]".repeat(5000));
        assertThat(deep.status()).isEqualTo(400);
        Answer text = http.send("POST", PATH, token, provider("x"), Map.of("Content-Type", "text/plain"));
        assertThat(text.status()).isEqualTo(415);
        assertThat(countProviders("strict")).isZero();
        // A bad patch leaves the stored provider as it was.
        create("strict", "keep");
        Answer badPatch = patch("strict", "keep", "{\"config\": {\"timeoutMs\": 0}, \"baseUrl\": \"ftp://x\"}", null);
        assertThat(badPatch.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("config.timeoutMs", "baseUrl");
        assertThat(http.get(PATH + "/keep", token).json().path("version").asInt())
                .isEqualTo(1);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() {
        try (TestHub small = TestHub.start(Map.of("INTEGRATION_MAX_BODY_BYTES", "1024"))) {
            Answer answer = small.client().post(PATH, small.adminToken("big"), provider("x" + "y".repeat(2000)));
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.json().path("type").asText()).isEqualTo("payload-too-large");
        }
    }

    @Test
    void unknownRoutesAndMethodsAnswerProblems() {
        Answer unknown = http.get("/api/v1/nothing-here", hub.adminToken("x"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("type").asText()).isEqualTo("not-found");
        Answer put =
                http.send("PUT", PATH + "/abc", hub.adminToken("x"), "{}", Map.of("Content-Type", "application/json"));
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.json().path("instance").asText()).isEqualTo(PATH + "/abc");
    }

    private static int countProviders(String tenant) throws Exception {
        try (Connection connection = hub.database().connect();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT count(*) FROM providers WHERE tenant_id = '" + tenant + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
