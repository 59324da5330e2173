package io.integrationhub.dataplane.observe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.grpc.StatusRuntimeException;
import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.GrpcClient;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.dataplane.grpc.v1.CallRequest;
import io.integrationhub.registry.Json;
import io.integrationhub.testkit.Canary;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The console log as production writes it ({@link JsonLogFormatter}, as logging.properties sets
 * it), captured while a real hub serves REST and gRPC calls: every line is a JSON object with the
 * required members, every line written while serving a request carries that request's trace id,
 * each call has exactly one access line, and neither a credential nor a body shows.
 */
@Tag("hub")
class JsonLogsTest {
    private static final String CALL = "/api/v1/integrations/call";
    private static final String TENANT = "logs";
    private static final String BODY_MARKER = "body-marker-7f3a";
    private static final List<String> LINES = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String line = getFormatter().format(record);
            LINES.add(line);
            Canary.record("log json " + record.getLoggerName(), line);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private static WireMockServer upstream;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        CAPTURE.setFormatter(new JsonLogFormatter());
        CAPTURE.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(CAPTURE);
        upstream = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        upstream.stubFor(any(urlPathMatching("/ok/.*"))
                .willReturn(aResponse().withStatus(200).withBody("{\"echo\":\"" + BODY_MARKER + "\"}")));
        upstream.stubFor(any(urlPathMatching("/fail/.*")).willReturn(aResponse().withStatus(500)));
        AdjustableClock clock = new AdjustableClock();
        hub = TestHub.start(
                Map.of(), new Hub.Options(new RecordingSleeper(clock), clock, HostResolver.SYSTEM, new SecureRandom()));
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("").removeHandler(CAPTURE);
        hub.close();
        upstream.stop();
    }

    private static String traceparent(String traceId) {
        return "00-" + traceId + "-00f067aa0ba902b7-01";
    }

    private static int call(String provider, String path, String traceId) {
        return hub.client()
                .send(
                        "POST",
                        CALL,
                        hub.token(TENANT, Scope.CALL),
                        "{\"provider\": \"" + provider + "\", \"method\": \"POST\"," + " \"path\": \"" + path
                                + "\", \"body\": {\"secret\": \"" + BODY_MARKER + "\"}}",
                        Map.of("Content-Type", "application/json", "traceparent", traceparent(traceId)))
                .status();
    }

    private static JsonNode parse(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    @Test
    void everyLineIsJsonWithTheTraceIdOfItsRequestOneAccessLinePerCallAndNoSecret() throws Exception {
        String psp = Providers.create(
                hub,
                TENANT,
                Providers.local(
                        "psp",
                        upstream.port(),
                        "{\"type\":\"api_key\",\"in\":\"header\","
                                + "\"name\":\"X-Api-Key\",\"credentials\":{\"apiKey\":\"" + Canary.SECRET + "\"}}",
                        "\"retry\": {\"maxAttempts\": 2}, \"circuitBreaker\": {\"failureThreshold\": 1000}"));
        int before = LINES.size();

        String ok = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parked = "5bf92f3577b34da6a3ce929d0e0e4737";
        String unknown = "6bf92f3577b34da6a3ce929d0e0e4738";
        String grpc = "7bf92f3577b34da6a3ce929d0e0e4739";
        assertThat(call("psp", "/ok/1", ok)).isEqualTo(200);
        assertThat(call("psp", "/fail/1", parked)).isEqualTo(502);
        assertThat(call("ghost", "/ok/1", unknown)).isEqualTo(404);
        try (GrpcClient grpcClient = new GrpcClient(hub.hub().grpcPort())) {
            var stub = grpcClient.stub(Map.of(
                    "authorization", "Bearer " + hub.token(TENANT, Scope.CALL), "traceparent", traceparent(grpc)));
            assertThat(stub.call(CallRequest.newBuilder()
                                    .setProvider("psp")
                                    .setMethod("GET")
                                    .setPath("/ok/2")
                                    .build())
                            .getStatus())
                    .isEqualTo(200);
            try {
                stub.call(CallRequest.newBuilder()
                        .setProvider("psp")
                        .setMethod("GET")
                        .setPath("/fail/2")
                        .build());
            } catch (StatusRuntimeException expected) {
                // parked: also one access line
            }
        }

        List<String> captured = new ArrayList<>(LINES.subList(before, LINES.size()));
        assertThat(captured).isNotEmpty();
        List<JsonNode> lines = captured.stream().map(JsonLogsTest::parse).toList();
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.isObject()).isTrue();
            for (String member : List.of("timestamp", "level", "logger", "message", "traceId", "tenant", "provider")) {
                assertThat(line.has(member)).as("%s in %s", member, line).isTrue();
            }
            if (!line.path("tenant").isNull()) {
                assertThat(line.path("traceId").asText())
                        .as("a line written for a request carries its trace id: %s", line)
                        .isIn(ok, parked, unknown, grpc);
            }
        });
        assertThat(captured)
                .as("one line per record")
                .allSatisfy(line -> assertThat(line.strip()).doesNotContain("\n"));

        List<JsonNode> access = lines.stream()
                .filter(l -> l.path("logger").asText().equals(CallTelemetry.ACCESS_LOGGER))
                .toList();
        assertThat(access)
                .extracting(l -> l.path("traceId").asText())
                .containsExactlyInAnyOrder(ok, parked, unknown, grpc, grpc);
        assertThat(access).allSatisfy(line -> {
            assertThat(line.path("tenant").asText()).isEqualTo(TENANT);
            assertThat(line.path("latencyMs").isNumber()).isTrue();
            assertThat(line.path("attempts").isInt()).isTrue();
            assertThat(line.path("outcome").asText()).isNotEmpty();
        });
        JsonNode okLine = access.stream()
                .filter(l -> l.path("traceId").asText().equals(ok))
                .findFirst()
                .orElseThrow();
        assertThat(okLine.path("provider").asText()).isEqualTo(psp);
        assertThat(okLine.path("outcome").asText()).isEqualTo("success");
        assertThat(okLine.path("status").asInt()).isEqualTo(200);
        assertThat(okLine.path("attempts").asInt()).isEqualTo(1);
        JsonNode parkedLine = access.stream()
                .filter(l -> l.path("traceId").asText().equals(parked))
                .findFirst()
                .orElseThrow();
        assertThat(parkedLine.path("outcome").asText()).isEqualTo("upstream_failed");
        assertThat(parkedLine.path("attempts").asInt()).isEqualTo(2);
        assertThat(parkedLine.path("status").asInt()).isEqualTo(502);
        JsonNode unknownLine = access.stream()
                .filter(l -> l.path("traceId").asText().equals(unknown))
                .findFirst()
                .orElseThrow();
        assertThat(unknownLine.path("provider").isNull()).isTrue();
        assertThat(unknownLine.path("outcome").asText()).isEqualTo("provider_not_found");

        assertThat(captured)
                .noneMatch(line -> line.contains(Canary.SECRET))
                .noneMatch(line -> line.contains(BODY_MARKER))
                .noneMatch(line -> line.contains("/ok/1"))
                .noneMatch(line -> line.contains("Bearer "));
    }
}
