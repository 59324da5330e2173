package io.integrationhub.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.integrationhub.dataplane.api.Problems;
import io.integrationhub.dataplane.api.RequestBodies;
import io.integrationhub.dataplane.auth.Authenticator;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.auth.TokenIssuer;
import io.integrationhub.dataplane.auth.TokenVerifier;
import io.integrationhub.dataplane.call.CallRoutes;
import io.integrationhub.dataplane.dlq.DlqRoutes;
import io.integrationhub.dataplane.openapi.OpenApiRoutes;
import io.integrationhub.dataplane.provider.ProviderRoutes;
import io.integrationhub.registry.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The routing tier: {@link HubRoutes} on a bare web server, with no database, Valkey, queue or
 * provider behind it. The REST routes are the real ones, handed no services: every request here is
 * answered (401, 403, 405, 404) before a service would be asked, so a request that reached one
 * would fail the test with a 500. Health and metrics are fakes that name themselves.
 */
class HubRoutesTest {
    private static final String SECRET = "routing-test-secret-of-at-least-32-bytes";
    private static final String PROVIDERS = "/api/v1/integrations/providers";
    private static final String CALL = "/api/v1/integrations/call";
    private static final String PROXY = "/api/v1/integrations/proxy";
    private static final String DLQ = "/api/v1/integrations/dlq";

    private static WebServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Authenticator authenticator = new Authenticator(new TokenVerifier(SECRET, null));
        HttpRouting.Builder api = HubRoutes.api(
                HttpRouting.builder(),
                new HubRoutes.Api(
                        named("health"),
                        new ProviderRoutes(null, authenticator, new RequestBodies(1024), null),
                        new CallRoutes(null, authenticator, null, java.time.Clock.systemUTC()),
                        new DlqRoutes(null, authenticator),
                        new OpenApiRoutes()));
        HttpRouting.Builder management = HubRoutes.management(
                HttpRouting.builder(), new HubRoutes.Management(named("health"), named("metrics")));
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .routing(api)
                .putSocket(
                        "management", socket -> socket.host("127.0.0.1").port(0).addRouting(management))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** A stand-in service that answers every request under its path with its own name. */
    private static HttpService named(String name) {
        return rules -> rules.any((req, res) -> res.send(name));
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // Every route without a token: the route exists, and asks for authentication first.
                "GET    | " + PROVIDERS + "                | 401 | unauthorized",
                "POST   | " + PROVIDERS + "                | 401 | unauthorized",
                "GET    | " + PROVIDERS + "/p1             | 401 | unauthorized",
                "PATCH  | " + PROVIDERS + "/p1             | 401 | unauthorized",
                "DELETE | " + PROVIDERS + "/p1             | 401 | unauthorized",
                "GET    | " + PROVIDERS + "/p1/health      | 401 | unauthorized",
                "POST   | " + CALL + "                     | 401 | unauthorized",
                "GET    | " + PROXY + "/openai/v1/models   | 401 | unauthorized",
                "POST   | " + PROXY + "/openai/v1/chat     | 401 | unauthorized",
                "GET    | " + DLQ + "                      | 401 | unauthorized",
                "GET    | " + DLQ + "/e1                   | 401 | unauthorized",
                "DELETE | " + DLQ + "/e1                   | 401 | unauthorized",
                "POST   | " + DLQ + "/e1/retry             | 401 | unauthorized",
                "POST   | " + DLQ + "/retry-all            | 401 | unauthorized",
                "GET    | " + DLQ + "/retry-all/b1         | 401 | unauthorized",
                "GET    | " + DLQ
                        + "/retry-all            | 401 | unauthorized", // GET /dlq/{id} of an entry 'retry-all'
                // A known path with a method it does not take.
                "PUT    | " + PROVIDERS + "                | 405 | method-not-allowed",
                "DELETE | " + PROVIDERS + "                | 405 | method-not-allowed",
                "PUT    | " + PROVIDERS + "/p1             | 405 | method-not-allowed",
                "POST   | " + PROVIDERS + "/p1             | 405 | method-not-allowed",
                "GET    | " + CALL + "                     | 405 | method-not-allowed",
                "PUT    | " + CALL + "                     | 405 | method-not-allowed",
                "POST   | " + DLQ + "                      | 405 | method-not-allowed",
                "PUT    | " + DLQ + "/retry-all            | 405 | method-not-allowed",
                "PUT    | " + DLQ + "/retry-all/b1         | 405 | method-not-allowed",
                "POST   | " + DLQ + "/e1                   | 405 | method-not-allowed",
                "GET    | " + DLQ + "/e1/retry             | 405 | method-not-allowed",
                // No route at all.
                "GET    | /                                | 404 | not-found",
                "GET    | /api/v1/integrations             | 404 | not-found",
                "GET    | /api/v1/integrations/nope        | 404 | not-found",
                "GET    | " + PROVIDERS + "/p1/other       | 404 | not-found",
                "GET    | /metrics                         | 404 | not-found",
                "POST   | /api/v2/integrations/call        | 404 | not-found",
            })
    void theApiPortAnswersWithAProblemOfAStableType(String method, String path, int status, String type)
            throws Exception {
        HttpResponse<String> response = send(server.port(), method, path, null);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(contentType -> assertThat(contentType).startsWith(Problems.PROBLEM_JSON));
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.path("type").asText()).isEqualTo(type);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("instance").asText()).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0} {1} with scope {2} -> 403")
    @CsvSource(
            delimiter = '|',
            value = {
                "GET    | " + PROVIDERS + "           | CALL",
                "POST   | " + PROVIDERS + "           | PROVIDERS_READ",
                "GET    | " + DLQ + "                 | PROVIDERS_READ",
                "POST   | " + DLQ + "/e1/retry        | DLQ_READ",
                "POST   | " + CALL + "                | PROVIDERS_WRITE",
            })
    void aTokenWithoutTheRoutesScopeIsForbidden(String method, String path, Scope scope) throws Exception {
        String token = new TokenIssuer(SECRET).issue("routing", "tenant-a", Duration.ofMinutes(5), scope);
        HttpResponse<String> response = send(server.port(), method, path, token);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(Json.mapper().readTree(response.body()).path("type").asText())
                .isEqualTo("forbidden");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/health/live  | health",
                "/health/ready | health",
            })
    void healthIsServedOnTheApiPort(String path, String service) throws Exception {
        HttpResponse<String> response = send(server.port(), "GET", path, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(service);
    }

    @Test
    void theOpenApiDocumentNeedsNoService() throws Exception {
        HttpResponse<String> response = send(server.port(), "GET", OpenApiRoutes.PATH, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("openapi");
    }

    @ParameterizedTest(name = "management {0} -> {1} {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/metrics                  | 200 | metrics",
                "/health/ready             | 200 | health",
                PROVIDERS + "              | 404 | not-found",
                CALL + "                   | 404 | not-found",
                "/openapi                  | 404 | not-found",
            })
    void theManagementPortServesHealthAndMetricsOnly(String path, int status, String answer) throws Exception {
        HttpResponse<String> response = send(server.port("management"), "GET", path, null);
        assertThat(response.statusCode()).isEqualTo(status);
        if (status == 200) {
            assertThat(response.body()).isEqualTo(answer);
        } else {
            assertThat(Json.mapper().readTree(response.body()).path("type").asText())
                    .isEqualTo(answer);
        }
    }

    private static HttpResponse<String> send(int port, String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        method.equals("GET") || method.equals("DELETE")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
