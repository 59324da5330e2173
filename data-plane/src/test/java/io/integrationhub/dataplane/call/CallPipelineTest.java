package io.integrationhub.dataplane.call;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.RawHttp;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.testkit.Canary;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The call pipeline end to end: real hub, real Postgres, WireMock as the provider. */
@Tag("hub")
class CallPipelineTest {
    private static final String CALL = "/api/v1/integrations/call";
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static final RecordingSleeper SLEEPER = new RecordingSleeper(CLOCK);
    private static WireMockServer provider;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        hub = TestHub.start(
                Map.of(),
                new Hub.Options(
                        SLEEPER, CLOCK, io.integrationhub.dataplane.egress.HostResolver.SYSTEM, new SecureRandom()));
    }

    @AfterAll
    static void stop() {
        hub.close();
        provider.stop();
    }

    @BeforeEach
    void reset() {
        provider.resetAll();
        SLEEPER.clear();
    }

    private static String create(String tenant, String name, String auth, String config) {
        return Providers.create(hub, tenant, Providers.local(name, provider.port(), auth, config));
    }

    static Answer call(String tenant, String envelope) {
        return hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token(tenant, Scope.CALL),
                        envelope,
                        Map.of("Content-Type", "application/json"));
    }

    private static List<LoggedRequest> received(String path) {
        return provider.findAll(anyRequestedFor(urlPathMatching(path + ".*")));
    }

    @Test
    void apiKeyInAHeaderIsInjectedAndTheCallerCannotOverrideIt() {
        create(
                "auth",
                "apikey-header",
                "{\"type\":\"api_key\",\"in\":\"header\",\"name\":\"X-Api-Key\",\"credentials\":{\"apiKey\":\""
                        + Canary.SECRET + "\"}}",
                "");
        provider.stubFor(any(urlPathEqualTo("/v1/charges"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Request-Id", "req_1")
                        .withBody("{\"id\":\"ch_1\"}")));

        Answer answer = call("auth", """
                {"provider": "apikey-header", "method": "POST", "path": "/v1/charges", "query": {"expand": ["a", "b c"]},
                 "headers": {"X-Api-Key": "forged", "Authorization": "Bearer forged", "X-Custom": "kept",
                             "Connection": "close, X-Drop", "X-Drop": "dropped", "Keep-Alive": "timeout=5",
                             "X-Tenant-ID": "auth", "Host": "evil.test"},
                 "body": {"amount": 100, "currency": "eur"}}""");

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.body()).isEqualTo("{\"id\":\"ch_1\"}");
        assertThat(answer.header("X-Integration-Source")).contains("upstream");
        assertThat(answer.header("X-Integration-Attempts")).contains("1");
        assertThat(answer.header("Request-Id")).contains("req_1");
        LoggedRequest sent = received("/v1/charges").get(0);
        assertThat(sent.getHeader("X-Api-Key")).isEqualTo(Canary.SECRET);
        assertThat(sent.getHeaders().getHeader("X-Api-Key").values()).hasSize(1);
        assertThat(sent.containsHeader("Authorization")).isFalse();
        assertThat(sent.getHeader("X-Custom")).isEqualTo("kept");
        assertThat(sent.containsHeader("X-Drop")).isFalse();
        assertThat(sent.containsHeader("Keep-Alive")).isFalse();
        assertThat(sent.containsHeader("X-Tenant-ID")).isFalse();
        assertThat(sent.getHeader("Host")).isEqualTo("127.0.0.1:" + provider.port());
        assertThat(sent.getHeader("Content-Type")).isEqualTo("application/json");
        // The caller's own bytes, spaces included: the envelope body is never re-serialised.
        assertThat(sent.getBodyAsString()).isEqualTo("{\"amount\": 100, \"currency\": \"eur\"}");
        assertThat(sent.getUrl()).isEqualTo("/v1/charges?expand=a&expand=b%20c");
        assertThat(sent.getHeader("Idempotency-Key"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
                .isEqualTo(answer.header("Idempotency-Key").orElseThrow());
        assertThat(sent.getHeader("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void apiKeyInTheQueryIsAppendedToTheCallersQuery() {
        create(
                "auth",
                "apikey-query",
                "{\"type\":\"api_key\",\"in\":\"query\",\"name\":\"api_key\",\"credentials\":{\"apiKey\":\"k y&z\"}}",
                "");
        provider.stubFor(any(urlPathEqualTo("/send")).willReturn(aResponse().withStatus(200)));
        assertThat(call(
                                "auth",
                                "{\"provider\":\"apikey-query\",\"method\":\"GET\",\"path\":\"/send\",\"query\":{\"to\":\"+4912\"}}")
                        .status())
                .isEqualTo(200);
        LoggedRequest sent = received("/send").get(0);
        assertThat(sent.getUrl()).isEqualTo("/send?to=%2B4912&api_key=k%20y%26z");
        assertThat(sent.getQueryParams().get("api_key").values()).containsExactly("k y&z");
    }

    /** The injected credential wins in the query as in headers: a same-named caller parameter is refused, never sent. */
    @Test
    void aCallersQueryParameterNamedLikeTheInjectedCredentialIs422AndNothingIsSent() {
        create(
                "auth",
                "apikey-clash",
                "{\"type\":\"api_key\",\"in\":\"query\",\"name\":\"api_key\",\"credentials\":{\"apiKey\":\"real\"}}",
                "");
        provider.stubFor(any(urlPathEqualTo("/clash")).willReturn(aResponse().withStatus(200)));
        for (String query : List.of(
                "{\"api_key\":\"forged\"}", "{\"to\":\"1\",\"api_key\":[\"a\",\"b\"]}", "{\"API_KEY\":\"forged\"}")) {
            Answer refused = call(
                    "auth",
                    "{\"provider\":\"apikey-clash\",\"method\":\"GET\",\"path\":\"/clash\",\"query\":" + query + "}");
            assertThat(refused.status()).as(query + ": " + refused.body()).isEqualTo(422);
            assertThat(refused.json().path("type").asText()).isEqualTo("validation");
            assertThat(refused.json().path("errors").get(0).path("field").asText())
                    .isEqualTo("query.api_key");
        }
        for (String rawQuery : List.of("api_key=forged", "x=1&api%5Fkey=forged", "Api_Key")) {
            Answer proxied = hub.client()
                    .send(
                            "GET",
                            "/api/v1/integrations/proxy/apikey-clash/clash?" + rawQuery,
                            hub.token("auth", Scope.CALL),
                            null,
                            Map.of());
            assertThat(proxied.status()).as(rawQuery + ": " + proxied.body()).isEqualTo(422);
        }
        assertThat(received("/clash")).isEmpty();
    }

    /** Header bytes are never re-encoded: a value outside visible ASCII, space and tab is refused, naming the header. */
    @Test
    void aHeaderValueOutsideVisibleAsciiIs422NamingTheHeaderAndNothingIsSent() {
        create("auth", "ascii-only", "{\"type\":\"none\"}", "");
        provider.stubFor(any(urlPathEqualTo("/ascii")).willReturn(aResponse().withStatus(200)));
        for (String value :
                List.of("caf\u00e9", "\u65e5\u672c", "a\u0080b", "emoji \ud83d\ude00", "nbsp\u00a0x", "del\u007f")) {
            Answer refused = call(
                    "auth",
                    "{\"provider\":\"ascii-only\",\"method\":\"GET\",\"path\":\"/ascii\",\"headers\":{\"X-Name\":\""
                            + value + "\"}}");
            assertThat(refused.status()).as(value + ": " + refused.body()).isEqualTo(422);
            assertThat(refused.json().path("errors").get(0).path("field").asText())
                    .isEqualTo("headers.X-Name");
        }
        // Through the proxy route the raw UTF-8 bytes arrive as they were sent.
        String token = hub.token("auth", Scope.CALL);
        byte[] head =
                ("GET /api/v1/integrations/proxy/ascii-only/ascii HTTP/1.1\r\nHost: hub\r\nProxy-Authorization: Bearer "
                                + token + "\r\nX-Name: caf\u00e9\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        String answer = RawHttp.exchange(hub.hub().port(), null, head);
        assertThat(RawHttp.status(answer)).as(answer).isEqualTo(422);
        assertThat(answer).contains("X-Name");
        assertThat(received("/ascii")).isEmpty();
        // Visible ASCII with spaces and tabs passes unchanged.
        assertThat(call(
                                "auth",
                                "{\"provider\":\"ascii-only\",\"method\":\"GET\",\"path\":\"/ascii\",\"headers\":{\"X-Name\":\"a b\\tc ~!\"}}")
                        .status())
                .isEqualTo(200);
        assertThat(received("/ascii").get(0).getHeader("X-Name")).isEqualTo("a b\tc ~!");
    }

    @Test
    void bearerTokenReplacesAnyAuthorizationAndTheTraceIdIsKept() {
        create("auth", "bearer", "{\"type\":\"bearer\",\"credentials\":{\"token\":\"sk_live_bearer\"}}", "");
        provider.stubFor(any(urlPathEqualTo("/me")).willReturn(aResponse().withStatus(200)));
        Answer answer = hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token("auth", Scope.CALL),
                        "{\"provider\":\"bearer\",\"method\":\"GET\",\"path\":\"/me\",\"headers\":{\"authorization\":\"Bearer mine\"}}",
                        Map.of(
                                "Content-Type",
                                "application/json",
                                "traceparent",
                                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        assertThat(answer.status()).isEqualTo(200);
        LoggedRequest sent = received("/me").get(0);
        assertThat(sent.getHeaders().getHeader("Authorization").values()).containsExactly("Bearer sk_live_bearer");
        assertThat(sent.getHeader("traceparent"))
                .startsWith("00-0af7651916cd43dd8448eb211c80319c-")
                .doesNotContain("b7ad6b7169203331");
    }

    @Test
    void basicAuthSendsTheEncodedPair() {
        create(
                "auth",
                "basic",
                "{\"type\":\"basic\",\"credentials\":{\"username\":\"ACxyz\",\"password\":\"p@ss word\"}}",
                "");
        provider.stubFor(
                any(urlPathEqualTo("/Messages.json")).willReturn(aResponse().withStatus(201)));
        String form = Base64.getEncoder().encodeToString("To=%2B49123&Body=hi+there".getBytes(StandardCharsets.UTF_8));
        Answer answer = call(
                "auth",
                "{\"provider\":\"basic\",\"method\":\"POST\",\"path\":\"/Messages.json\",\"bodyBase64\":\"" + form
                        + "\",\"contentType\":\"application/x-www-form-urlencoded\"}");
        assertThat(answer.status()).isEqualTo(201);
        LoggedRequest sent = received("/Messages.json").get(0);
        assertThat(sent.getHeader("Authorization"))
                .isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString("ACxyz:p@ss word".getBytes(StandardCharsets.UTF_8)));
        assertThat(sent.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(sent.getBodyAsString()).isEqualTo("To=%2B49123&Body=hi+there");
    }

    @Test
    void noneSendsNoCredential() {
        create("auth", "open", "{\"type\":\"none\"}", "");
        provider.stubFor(any(urlPathEqualTo("/public")).willReturn(aResponse().withStatus(204)));
        assertThat(call("auth", "{\"provider\":\"open\",\"method\":\"GET\",\"path\":\"/public\"}")
                        .status())
                .isEqualTo(204);
        assertThat(received("/public").get(0).containsHeader("Authorization")).isFalse();
    }

    @Test
    void oauth2FetchesOneTokenForManyCallersRefreshesAfterExpiryAndRetriesOnceAfter401() throws Exception {
        create("auth", "oauth", """
                {"type":"oauth2_client_credentials","tokenUrl":"http://127.0.0.1:%d/oauth/token","scopes":["charges:write","read"],
                 "credentials":{"clientId":"client-1","clientSecret":"%s"}}""".formatted(provider.port(), Canary.SECRET), "");
        String scenario = "tokens";
        provider.stubFor(post("/oauth/token")
                .inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
                        .withFixedDelay(200))
                .willSetStateTo("second"));
        provider.stubFor(post("/oauth/token")
                .inScenario(scenario)
                .whenScenarioStateIs("second")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"tok-2\",\"expires_in\":3600}"))
                .willSetStateTo("third"));
        provider.stubFor(post("/oauth/token")
                .inScenario(scenario)
                .whenScenarioStateIs("third")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"tok-3\",\"expires_in\":3600}")));
        provider.stubFor(any(urlPathEqualTo("/charges"))
                .withHeader("Authorization", equalTo("Bearer tok-2"))
                .willReturn(aResponse().withStatus(401)));
        provider.stubFor(any(urlPathEqualTo("/charges"))
                .withHeader("Authorization", matching("Bearer tok-[13]"))
                .willReturn(aResponse().withStatus(200)));

        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(CompletableFuture.supplyAsync(
                    () -> call("auth", "{\"provider\":\"oauth\",\"method\":\"GET\",\"path\":\"/charges\"}"), pool));
        }
        for (CompletableFuture<Answer> answer : answers) {
            assertThat(answer.get().status()).isEqualTo(200);
        }
        pool.shutdown();
        assertThat(provider.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))))
                .hasSize(1);
        LoggedRequest tokenRequest = provider.findAll(postRequestedFor(urlPathEqualTo("/oauth/token")))
                .get(0);
        assertThat(tokenRequest.getHeader("Authorization"))
                .isEqualTo("Basic "
                        + Base64.getEncoder()
                                .encodeToString(("client-1:" + Canary.SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(tokenRequest.getBodyAsString())
                .isEqualTo("grant_type=client_credentials&scope=charges%3Awrite+read");
        assertThat(received("/charges"))
                .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer tok-1"));

        // After expiry (less the safety margin) the next call fetches a fresh token: tok-2, which the provider
        // refuses with 401; the hub drops it, fetches tok-3 and retries once.
        CLOCK.advance(Duration.ofSeconds(3600 - 29));
        provider.resetRequests();
        Answer afterExpiry = call("auth", "{\"provider\":\"oauth\",\"method\":\"GET\",\"path\":\"/charges\"}");
        assertThat(afterExpiry.status()).isEqualTo(200);
        assertThat(afterExpiry.header("X-Integration-Attempts")).contains("2");
        assertThat(provider.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))))
                .hasSize(2);
        assertThat(received("/charges"))
                .extracting(r -> r.getHeader("Authorization"))
                .containsExactly("Bearer tok-2", "Bearer tok-3");
        assertThat(SLEEPER.delays()).as("the 401 retry is immediate").isEmpty();
    }

    @Test
    void failuresAreRetriedOnTheBackoffScheduleAndThenParkedInTheDlq() throws Exception {
        create("retry", "flaky", "{\"type\":\"bearer\",\"credentials\":{\"token\":\"t\"}}", "");
        provider.stubFor(any(urlPathEqualTo("/pay"))
                .willReturn(aResponse().withStatus(503).withBody("down")));

        Answer answer = call(
                "retry",
                "{\"provider\":\"flaky\",\"method\":\"POST\",\"path\":\"/pay\",\"body\":{\"card\":\"" + Canary.SECRET
                        + "\"},\"idempotencyKey\":\"order-77\"}");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.header("Content-Type")).contains("application/problem+json");
        assertThat(answer.header("X-Integration-Source")).contains("hub");
        assertThat(answer.header("X-Integration-Attempts")).contains("5");
        assertThat(answer.json().path("type").asText()).isEqualTo("upstream-failed");
        String dlqId = answer.json().path("dlqEntryId").asText();
        assertThat(dlqId).hasSize(26);
        assertThat(received("/pay"))
                .hasSize(5)
                .allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo("order-77"));
        List<Duration> delays = SLEEPER.delays();
        assertThat(delays).hasSize(4);
        long[] nominal = {1000, 2000, 4000, 8000};
        for (int i = 0; i < 4; i++) {
            assertThat(delays.get(i).toMillis()).as("delay %d", i + 1).isBetween(nominal[i] - 500, nominal[i] + 500);
        }
        try (Connection db = hub.database().connect();
                PreparedStatement q = db.prepareStatement(
                        "SELECT status, attempts, last_error_kind, last_error_status, request_sealed,"
                                + " method, path, idempotency_key, module FROM dlq_entries WHERE id = ?")) {
            q.setString(1, dlqId);
            try (ResultSet row = q.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("pending");
                assertThat(row.getInt(2)).isEqualTo(5);
                assertThat(row.getString(3)).isEqualTo("upstream_status");
                assertThat(row.getInt(4)).isEqualTo(503);
                assertThat(new String(row.getBytes(5), StandardCharsets.ISO_8859_1))
                        .doesNotContain(Canary.SECRET)
                        .doesNotContain("card");
                assertThat(row.getString(6) + " " + row.getString(7)).isEqualTo("POST /pay");
                assertThat(row.getString(8)).isEqualTo("order-77");
                assertThat(row.getString(9))
                        .as("the module that made the call (the test token's sub), for its replay")
                        .isEqualTo("test");
                assertThat(row.next()).as("exactly one DLQ row").isFalse();
            }
        }
    }

    @Test
    void aClientErrorIsTheProvidersAnswerAndIsNotRetried() {
        create("retry", "strict", "{\"type\":\"none\"}", "");
        provider.stubFor(any(urlPathEqualTo("/x"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"bad card\"}")));
        Answer answer = call("retry", "{\"provider\":\"strict\",\"method\":\"POST\",\"path\":\"/x\",\"body\":{}}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"error\":\"bad card\"}");
        assertThat(answer.header("X-Integration-Source")).contains("upstream");
        assertThat(received("/x")).hasSize(1);
        assertThat(SLEEPER.delays()).isEmpty();
    }

    @Test
    void aTimeoutIsRetriedAndEndsIn504() {
        create(
                "retry",
                "slow",
                "{\"type\":\"none\"}",
                "\"timeoutMs\": 250, \"retry\": {\"maxAttempts\": 2, \"baseDelayMs\": 10, \"jitterMs\": 0}");
        provider.stubFor(any(urlPathEqualTo("/slow"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        Answer answer = call("retry", "{\"provider\":\"slow\",\"method\":\"GET\",\"path\":\"/slow\"}");
        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.json().path("type").asText()).isEqualTo("upstream-timeout");
        assertThat(answer.json().path("dlqEntryId").asText()).isNotEmpty();
        assertThat(received("/slow")).hasSize(2);
        assertThat(SLEEPER.delays()).containsExactly(Duration.ofMillis(10));
    }

    @Test
    void aCallersDeadlineCutsTheAttemptWithoutADeadLetterAndALongerOneLeavesTheProvidersTimeout() {
        create("retry", "patient", "{\"type\":\"none\"}", "\"timeoutMs\": 3000, \"retry\": {\"maxAttempts\": 1}");
        provider.stubFor(any(urlPathEqualTo("/wait"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(600)));
        Answer cut =
                call("retry", "{\"provider\":\"patient\",\"method\":\"GET\",\"path\":\"/wait\",\"timeoutMs\":200}");
        assertThat(cut.status()).isEqualTo(504);
        assertThat(cut.json().path("type").asText()).isEqualTo("deadline-exceeded");
        assertThat(cut.json().has("dlqEntryId")).isFalse();
        assertThat(call("retry", "{\"provider\":\"patient\",\"method\":\"GET\",\"path\":\"/wait\",\"timeoutMs\":30000}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aProviders429WithRetryAfterIsWaitedForWhenItFitsTheBudgetAndParkedAtOnceWhenNot() {
        create("retry", "throttling", "{\"type\":\"none\"}", "\"retry\": {\"maxAttempts\": 3}");
        provider.stubFor(any(urlPathEqualTo("/t"))
                .inScenario("t")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
                .willSetStateTo("ok"));
        provider.stubFor(any(urlPathEqualTo("/t"))
                .inScenario("t")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200)));
        Answer answer = call("retry", "{\"provider\":\"throttling\",\"method\":\"GET\",\"path\":\"/t\"}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(SLEEPER.delays()).containsExactly(Duration.ofSeconds(2));

        create("retry", "very-throttling", "{\"type\":\"none\"}", "\"retry\": {\"maxAttempts\": 3}");
        provider.stubFor(any(urlPathEqualTo("/long"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
        SLEEPER.clear();
        Answer parked = call("retry", "{\"provider\":\"very-throttling\",\"method\":\"GET\",\"path\":\"/long\"}");
        assertThat(parked.status()).isEqualTo(502);
        assertThat(parked.json().path("detail").asText()).contains("exceeds the backoff budget");
        assertThat(received("/long")).hasSize(1);
        assertThat(SLEEPER.delays()).isEmpty();
        // A 429 without Retry-After is the provider's answer, returned as it is.
        create("retry", "plain-429", "{\"type\":\"none\"}", "");
        provider.stubFor(
                any(urlPathEqualTo("/p")).willReturn(aResponse().withStatus(429).withBody("slow down")));
        Answer plain = call("retry", "{\"provider\":\"plain-429\",\"method\":\"GET\",\"path\":\"/p\"}");
        assertThat(plain.status()).isEqualTo(429);
        assertThat(plain.header("X-Integration-Source")).contains("upstream");
    }

    @Test
    void unknownOtherTenantsAndDisabledProvidersAreRefusedWithoutAnUpstreamCall() {
        String id = create("owner", "mine", "{\"type\":\"none\"}", "");
        provider.stubFor(any(urlPathEqualTo("/y")).willReturn(aResponse().withStatus(200)));
        assertThat(call("owner", "{\"provider\":\"nope\",\"method\":\"GET\",\"path\":\"/y\"}")
                        .json()
                        .path("type")
                        .asText())
                .isEqualTo("provider-not-found");
        assertThat(call("intruder", "{\"provider\":\"mine\",\"method\":\"GET\",\"path\":\"/y\"}")
                        .status())
                .isEqualTo(404);
        assertThat(call("intruder", "{\"providerId\":\"" + id + "\",\"method\":\"GET\",\"path\":\"/y\"}")
                        .status())
                .isEqualTo(404);
        hub.client()
                .send(
                        "PATCH",
                        Providers.PATH + "/mine",
                        hub.adminToken("owner"),
                        "{\"status\":\"disabled\"}",
                        Map.of("Content-Type", "application/json"));
        Answer disabled = call("owner", "{\"provider\":\"mine\",\"method\":\"GET\",\"path\":\"/y\"}");
        assertThat(disabled.status()).isEqualTo(409);
        assertThat(disabled.json().path("type").asText()).isEqualTo("provider-disabled");
        assertThat(received("/y")).isEmpty();
        Answer noScope = hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token("owner", Scope.PROVIDERS_READ),
                        "{\"provider\":\"mine\",\"method\":\"GET\",\"path\":\"/y\"}",
                        Map.of("Content-Type", "application/json"));
        assertThat(noScope.status()).isEqualTo(403);
    }

    @Test
    void pastMaxConcurrencyCallersGet429() throws Exception {
        create("limits", "narrow", "{\"type\":\"none\"}", "\"maxConcurrency\": 1");
        provider.stubFor(any(urlPathEqualTo("/busy"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(700)));
        CompletableFuture<Answer> first = CompletableFuture.supplyAsync(
                () -> call("limits", "{\"provider\":\"narrow\",\"method\":\"GET\",\"path\":\"/busy\"}"));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> !received("/busy").isEmpty());
        Answer second = call("limits", "{\"provider\":\"narrow\",\"method\":\"GET\",\"path\":\"/busy\"}");
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.json().path("type").asText()).isEqualTo("concurrency-limited");
        assertThat(first.get().status()).isEqualTo(200);
        assertThat(call("limits", "{\"provider\":\"narrow\",\"method\":\"GET\",\"path\":\"/busy\"}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void envelopesAreValidatedFieldByField() {
        Answer answer = call(
                "v",
                "{\"method\":\"FETCH\",\"path\":7,\"headers\":{\"X\":1},\"timeoutMs\":0,\"extra\":true,"
                        + "\"body\":{},\"bodyBase64\":\"AA==\",\"idempotencyKey\":\"has space\"}");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().path("errors").findValuesAsText("field"))
                .contains("provider", "path", "headers.X", "timeoutMs", "extra", "body", "idempotencyKey");
        Answer badMethod = call("v", "{\"provider\":\"x\",\"method\":\"FETCH\",\"path\":\"/\"}");
        assertThat(badMethod.status()).as(badMethod.body()).isIn(404, 422);
        assertThat(call("v", "not json").status()).isEqualTo(400);
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    @Test
    void anOversizedBodyIsRefusedWith413() {
        try (TestHub small = TestHub.start(Map.of("INTEGRATION_MAX_BODY_BYTES", "2048"))) {
            Answer answer = small.client()
                    .send(
                            "POST",
                            CALL,
                            small.token("t", Scope.CALL),
                            "{\"provider\":\"x\",\"method\":\"POST\",\"path\":\"/\",\"body\":\"" + "a".repeat(5000)
                                    + "\"}",
                            Map.of("Content-Type", "application/json"));
            assertThat(answer.status()).isEqualTo(413);
        }
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    @Test
    void hopByHopHeadersOfTheProviderAreNotPassedBack() {
        create("hdr", "cookies", "{\"type\":\"none\"}", "");
        provider.stubFor(any(urlPathEqualTo("/c"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Set-Cookie", "s=1")
                        .withHeader("X-Provider", "yes")
                        .withHeader("Content-Type", "text/plain")
                        .withBody("ok")));
        Answer answer = call("hdr", "{\"provider\":\"cookies\",\"method\":\"GET\",\"path\":\"/c\"}");
        assertThat(answer.header("Set-Cookie")).isEmpty();
        assertThat(answer.header("X-Provider")).contains("yes");
        assertThat(answer.header("Content-Type")).contains("text/plain");
        assertThat(provider.findAll(anyRequestedFor(urlPathEqualTo("/c")).withHeader("Cookie", absent())))
                .hasSize(1);
    }
}
