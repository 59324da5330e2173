package io.integrationhub.dataplane.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.registry.Json;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.SuiteCounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every input surface under 10,000 generated hostile cases each (seeded, replayable): the hub never
 * answers 5xx, never shows a stack trace or class name, and a refused request writes nothing.
 */
@Tag("fuzz")
class InputFuzzTest {
    static final int CASES = Integer.getInteger("fuzz.cases", 10_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261125L);
    /** What a leaked exception looks like: a Java class name or a stack frame. */
    private static final Pattern LEAK =
            Pattern.compile("(java|javax|io\\.helidon|io\\.integrationhub|com\\.fasterxml|org\\.jdbi|org\\.postgresql)"
                    + "\\.[a-z]+\\.|Exception|\\bat [a-z]+\\.[a-zA-Z.]+\\(|\\.java:\\d+");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static WireMockServer provider;
    private static TestHub hub;
    private static String token;
    private static Connection db;

    @BeforeAll
    static void start() {
        provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        provider.start();
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        AdjustableClock clock = new AdjustableClock();
        // Fuzzed providers name hosts anywhere: resolve only loopback, so no lookup ever leaves the machine.
        HostResolver loopbackOnly = host -> {
            if (host.equals("127.0.0.1")) {
                return new java.net.InetAddress[] {java.net.InetAddress.getLoopbackAddress()};
            }
            throw new java.net.UnknownHostException(host);
        };
        hub = TestHub.start(
                Map.of(), new Hub.Options(new RecordingSleeper(clock), clock, loopbackOnly, new SecureRandom()));
        token = hub.adminToken("fuzz");
        try {
            db = hub.database().connect();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        Providers.create(
                hub,
                "fuzz",
                Providers.local(
                        "target",
                        provider.port(),
                        "{\"type\":\"api_key\",\"in\":\"header\"," + "\"name\":\"X-Key\",\"credentials\":{\"apiKey\":\""
                                + Canary.SECRET + "\"}}",
                        "\"rateLimitPerSec\": 100000," + " \"retry\": {\"maxAttempts\": 1}"));
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        hub.close();
        provider.stop();
    }

    @Test
    void providerCreateBodies() throws Exception {
        JsonNode valid = Json.mapper().readTree("""
                {"name": "fuzzed", "type": "payment", "baseUrl": "https://api.fuzz.test/v1",
                 "auth": {"type": "oauth2_client_credentials", "tokenUrl": "https://auth.fuzz.test/token", "scopes": ["a"],
                          "credentials": {"clientId": "id", "clientSecret": "s"}},
                 "config": {"timeoutMs": 2000, "rateLimitPerSec": 5, "maxConcurrency": 3, "defaultHeaders": {"X-A": "b"},
                            "retry": {"maxAttempts": 3, "baseDelayMs": 10, "multiplier": 1.5, "jitterMs": 5, "budgetPercent": 10},
                            "circuitBreaker": {"failureThreshold": 2, "failureWindowSec": 5, "openSec": 5, "halfOpenProbes": 1}}}""");
        Mutations mutations = new Mutations(SEED);
        int created = 0;
        for (int i = 0; i < CASES; i++) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) valid).put("name", "f" + i);
            long before = count("providers");
            byte[] body = mutations.mutate(valid);
            Answer answer = send("POST", "/api/v1/integrations/providers", body, "application/json");
            check("provider create #" + i, answer, text(body));
            if (answer.status() == 201) {
                created++;
            } else {
                assertThat(count("providers"))
                        .as("a refused create writes nothing (#%d)", i)
                        .isEqualTo(before);
            }
        }
        assertThat(created).as("some mutations stay valid").isPositive();
        counts("provider create bodies", created + " accepted, the rest refused with nothing written");
    }

    @Test
    void providerPatchBodies() throws Exception {
        Providers.create(
                hub,
                "fuzz",
                "{\"name\":\"patched\",\"type\":\"sms\",\"baseUrl\":\"https://sms.fuzz.test\","
                        + "\"auth\":{\"type\":\"bearer\",\"credentials\":{\"token\":\"t\"}}}");
        JsonNode valid = Json.mapper()
                .readTree("{\"status\": \"active\", \"config\": {\"timeoutMs\": 3000, \"retry\": {\"maxAttempts\": 2}},"
                        + " \"auth\": {\"type\": \"bearer\"}}");
        Mutations mutations = new Mutations(SEED + 1);
        for (int i = 0; i < CASES; i++) {
            long version = currentVersion("patched");
            byte[] body = mutations.mutate(valid);
            Answer answer =
                    send("PATCH", "/api/v1/integrations/providers/patched", body, "application/merge-patch+json");
            check("provider patch #" + i, answer, text(body));
            if (answer.status() != 200) {
                assertThat(currentVersion("patched"))
                        .as("a refused patch writes nothing (#%d)", i)
                        .isEqualTo(version);
            }
        }
        counts("provider patch bodies", "refused patches left the version unchanged");
    }

    @Test
    void callEnvelopes() throws Exception {
        JsonNode valid = Json.mapper().readTree("""
                {"provider": "target", "method": "POST", "path": "/v1/things", "query": {"a": "1", "b": ["x", "y"]},
                 "headers": {"X-Trace": "t", "Accept": ["application/json"]}, "body": {"k": [1, 2, {"n": null}]},
                 "idempotencyKey": "key-1", "timeoutMs": 1000}""");
        Mutations mutations = new Mutations(SEED + 2);
        for (int i = 0; i < CASES; i++) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) valid).put("idempotencyKey", "key-" + i);
            byte[] body = mutations.mutate(valid);
            check(
                    "call envelope #" + i,
                    send("POST", "/api/v1/integrations/call", body, "application/json"),
                    text(body));
        }
        counts("call envelopes", "");
    }

    @Test
    void proxyRoutePathsQueriesAndHeaders() throws Exception {
        Mutations mutations = new Mutations(SEED + 3);
        String[] methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
        for (int i = 0; i < CASES; i++) {
            String path = encodePath(mutations.randomText(1 + mutations.nextInt(30)));
            String query =
                    mutations.nextInt(3) == 0 ? "" : "?" + encodeQuery(mutations.randomText(mutations.nextInt(40)));
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(hub.hub().baseUri() + "/api/v1/integrations/proxy/target/" + path + query))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token);
            String headerValue =
                    mutations.randomText(1 + mutations.nextInt(100)).replaceAll("[\\x00-\\x1f\\x7f]", "");
            if (!headerValue.isEmpty() && headerValue.chars().allMatch(c -> c < 0x80)) {
                request.header("X-Fuzz-" + mutations.nextInt(5), headerValue);
            }
            if (mutations.nextInt(4) == 0) {
                request.header(
                        "Idempotency-Key",
                        mutations.randomText(1 + mutations.nextInt(300)).replaceAll("[^\\x21-\\x7e]", "k"));
            }
            byte[] body = mutations.mutate(Json.mapper().readTree("{\"x\":1}"));
            request.method(methods[mutations.nextInt(methods.length)], HttpRequest.BodyPublishers.ofByteArray(body));
            check("proxy #" + i + " " + path, exchange(request.build()));
        }
        counts("proxy route paths, queries, headers, bodies", "");
    }

    @Test
    void listQueryParametersAndTenantHeaders() {
        Mutations mutations = new Mutations(SEED + 4);
        for (int i = 0; i < CASES; i++) {
            String query = "?limit=" + encodeQuery(mutations.randomText(mutations.nextInt(12))) + "&cursor="
                    + encodeQuery(mutations.randomText(mutations.nextInt(40)));
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(hub.hub().baseUri() + "/api/v1/integrations/providers" + query))
                    .timeout(Duration.ofSeconds(20))
                    .header(
                            "Authorization",
                            "Bearer "
                                    + (mutations.nextInt(10) == 0
                                            ? mutations.randomText(30).replaceAll("[^\\x21-\\x7e]", "x")
                                            : token));
            String tenant =
                    mutations.randomText(1 + mutations.nextInt(80)).replaceAll("[\\x00-\\x1f\\x7f-\\uffff]", "");
            if (!tenant.isBlank()) {
                request.header("X-Tenant-ID", tenant);
            }
            check("list #" + i, exchange(request.GET().build()));
        }
        counts("list query parameters and tenant/auth headers", "");
    }

    /**
     * Issue 16's inputs: credential headers sent twice, re-spelled (padded) tokens, header values
     * outside visible ASCII, and query keys named like an injected query credential. Each kind has
     * one right answer, and the provider never sees a refused request.
     */
    @Test
    void duplicateCredentialsPaddedTokensNonAsciiHeadersAndQueryKeyCollisions() throws Exception {
        Providers.create(
                hub,
                "fuzz",
                Providers.local(
                        "qtarget",
                        provider.port(),
                        "{\"type\":\"api_key\",\"in\":\"query\"," + "\"name\":\"key\",\"credentials\":{\"apiKey\":\""
                                + Canary.SECRET + "\"}}",
                        "\"rateLimitPerSec\": 100000," + " \"retry\": {\"maxAttempts\": 1}"));
        Mutations mutations = new Mutations(SEED + 5);
        String[] respell = {"=", "==", " ", "%3D", "\t"};
        int[] byKind = new int[4];
        for (int i = 0; i < CASES; i++) {
            int kind = mutations.nextInt(4);
            byKind[kind]++;
            switch (kind) {
                case 0 -> { // Authorization twice (or three times), in any mix of valid and broken
                    HttpRequest.Builder request = HttpRequest.newBuilder(
                                    URI.create(hub.hub().baseUri() + "/api/v1/integrations/providers"))
                            .timeout(Duration.ofSeconds(20))
                            .GET();
                    int copies = 2 + mutations.nextInt(2);
                    for (int c = 0; c < copies; c++) {
                        request.header(
                                "Authorization",
                                "Bearer "
                                        + (mutations.nextInt(2) == 0
                                                ? token
                                                : mutations
                                                        .randomText(1 + mutations.nextInt(40))
                                                        .replaceAll("[^\\x21-\\x7e]", "x")));
                    }
                    Answer answer = exchange(request.build());
                    check("duplicate Authorization #" + i, answer);
                    assertThat(answer.status())
                            .as("duplicate Authorization #%d: %s", i, answer.body())
                            .isEqualTo(400);
                }
                case 1 -> { // the valid token, spelled another way
                    String signature = token.substring(token.lastIndexOf('.') + 1);
                    String padded = switch (mutations.nextInt(3)) {
                        case 0 -> token + respell[mutations.nextInt(respell.length)].repeat(1 + mutations.nextInt(3));
                        case 1 -> token.replace(".", "=.");
                        default -> token.substring(0, token.length() - signature.length()) + signature + "=";
                    };
                    Answer answer = exchange(
                            HttpRequest.newBuilder(URI.create(hub.hub().baseUri() + "/api/v1/integrations/providers"))
                                    .timeout(Duration.ofSeconds(20))
                                    .header("Authorization", "Bearer " + padded.strip())
                                    .GET()
                                    .build());
                    check("padded token #" + i, answer);
                    if (!padded.strip().equals(token)) {
                        assertThat(answer.status())
                                .as("padded token #%d: %s", i, answer.body())
                                .isEqualTo(401);
                    }
                }
                case 2 -> { // a header value with characters outside visible ASCII, space and tab
                    String value = mutations
                                    .randomText(1 + mutations.nextInt(30))
                                    .replace("\"", "")
                                    .replace("\\", "")
                            + (char) (0x80 + mutations.nextInt(0x7f80));
                    String envelope = Json.mapper()
                            .writeValueAsString(Map.of(
                                    "provider",
                                    "target",
                                    "method",
                                    "GET",
                                    "path",
                                    "/na",
                                    "headers",
                                    Map.of("X-Fuzz", value)));
                    byte[] body = envelope.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    Answer answer = send("POST", "/api/v1/integrations/call", body, "application/json");
                    check("non-ASCII header #" + i, answer, text(body));
                    assertThat(answer.status())
                            .as("non-ASCII header #%d: %s", i, answer.body())
                            .isEqualTo(422);
                }
                default -> { // a query key named like the injected query credential, in any spelling
                    String name = switch (mutations.nextInt(4)) {
                        case 0 -> "key";
                        case 1 -> "KEY";
                        case 2 -> "%6Bey";
                        default -> "Key";
                    };
                    String query = (mutations.nextInt(2) == 0 ? "a=1&" : "") + name + "=forged-" + i;
                    Answer answer = exchange(HttpRequest.newBuilder(
                                    URI.create(hub.hub().baseUri() + "/api/v1/integrations/proxy/qtarget/q?" + query))
                            .timeout(Duration.ofSeconds(20))
                            .header("Authorization", "Bearer " + token)
                            .GET()
                            .build());
                    check("query key collision #" + i, answer);
                    assertThat(answer.status())
                            .as("query key collision #%d: %s", i, answer.body())
                            .isEqualTo(422);
                }
            }
        }
        assertThat(provider.getAllServeEvents())
                .as("no refused request reached the provider")
                .noneMatch(event -> event.getRequest().getUrl().startsWith("/na")
                        || event.getRequest().getUrl().contains("forged"));
        counts(
                "duplicate Authorization, padded tokens, non-ASCII header values, same-named query keys",
                byKind[0] + "/" + byKind[1] + "/" + byKind[2] + "/" + byKind[3]
                        + " cases, each refused with its status");
    }

    record Answer(int status, Map<String, java.util.List<String>> headers, String body) {}

    private static void counts(String surface, String more) {
        SuiteCounts.print(
                "input fuzz",
                surface + ": " + CASES + " cases (seed " + SEED + "), no undocumented 5xx, no internals" + " echoed"
                        + (more.isEmpty() ? "" : ", " + more));
    }

    private static Answer send(String method, String path, byte[] body, String contentType) {
        return exchange(HttpRequest.newBuilder(URI.create(hub.hub().baseUri() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    static Answer exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, java.util.List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(response.headers().map());
            Canary.record(
                    "fuzz " + request.method() + " " + request.uri().getRawPath(),
                    response.statusCode() + " " + headers + "\n" + response.body());
            return new Answer(response.statusCode(), headers, response.body());
        } catch (Exception e) {
            throw new AssertionError("no answer to " + request.method() + " " + request.uri(), e);
        }
    }

    /** 5xx answers the hub gives on purpose: the provider failed, timed out, or its circuit is open. */
    private static final java.util.Set<String> DOCUMENTED_5XX =
            java.util.Set.of("upstream-failed", "upstream-timeout", "circuit-open");

    static void check(String what, Answer answer) {
        check(what, answer, "");
    }

    /** @param sent what the request carried: internals the caller sent itself are not a leak when echoed */
    static void check(String what, Answer answer, String sent) {
        assertThat(answer.status()).as("%s answered %s", what, answer.body()).isNotEqualTo(500);
        if (answer.status() >= 500) {
            assertThat(answer.body())
                    .as("%s answered %s", what, answer.body())
                    .matches(
                            body -> DOCUMENTED_5XX.stream()
                                    .anyMatch(type -> body.contains("\"type\":\"" + type + "\"")),
                            "a documented problem type");
        }
        java.util.regex.Matcher leak = LEAK.matcher(answer.body());
        while (leak.find()) {
            assertThat(sent).as("%s leaks internals: %s", what, answer.body()).contains(leak.group());
        }
        if (answer.status() >= 400 && "hub".equals(first(answer, "X-Integration-Source"))) {
            assertThat(first(answer, "Content-Type")).as(what).startsWith("application/problem+json");
        }
    }

    private static String first(Answer answer, String header) {
        java.util.List<String> values = answer.headers().get(header);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    /** The request as the hub may echo it: raw text, and as JSON would escape it. */
    private static String text(byte[] body) {
        String raw = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        try {
            return raw + "\n" + Json.mapper().readTree(body).toString();
        } catch (Exception notJson) {
            return raw;
        }
    }

    private static String encodePath(String text) {
        StringBuilder path = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            path.append(
                    Character.isLetterOrDigit(c) && c < 0x80 || "-._~/".indexOf(c) >= 0
                            ? String.valueOf(c)
                            : String.format("%%%02X", b & 0xff));
        }
        return path.toString();
    }

    private static String encodeQuery(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long count(String table) throws Exception {
        try (Statement s = db.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long currentVersion(String name) throws Exception {
        try (Statement s = db.createStatement();
                ResultSet rows = s.executeQuery(
                        "SELECT version FROM providers WHERE name = '" + name + "' AND deleted_at IS NULL")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
