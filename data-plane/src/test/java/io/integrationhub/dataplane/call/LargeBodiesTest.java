package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.integrationhub.dataplane.GrpcClient;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.StreamingProvider;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.grpc.v1.CallRequest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Large bodies where memory must stay bounded: the budget, gRPC's unary limit, and a dead letter of 30 MiB. */
@Tag("hub")
class LargeBodiesTest {
    private static final int MIB = 1024 * 1024;
    private static StreamingProvider provider;
    private static TestHub hub;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        provider = new StreamingProvider();
        // 1 MiB of budget is 16 calls' base share: the 17th waits briefly, then is refused.
        hub = TestHub.start(Map.of(
                "INTEGRATION_MEMORY_BUDGET_BYTES",
                Integer.toString(MIB),
                "INTEGRATION_BODY_MEMORY_BYTES",
                "65536",
                "INTEGRATION_MAX_BODY_BYTES",
                Integer.toString(32 * MIB)));
        Providers.create(
                hub,
                "bulk",
                Providers.local(
                        "files",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"retry\": {\"maxAttempts\": 1}, \"circuitBreaker\": {\"failureThreshold\": 1000}, \"timeoutMs\": 30000"));
    }

    @AfterAll
    static void stop() {
        hub.close();
        provider.close();
    }

    private static HttpRequest.Builder proxy(String path) {
        return HttpRequest.newBuilder(URI.create(hub.hub().baseUri() + "/api/v1/integrations/proxy/files" + path))
                .header("Authorization", "Bearer " + hub.token("bulk", Scope.CALL));
    }

    @Test
    void pastTheMemoryBudgetNewCallsGet503OverloadedNeverAnOutOfMemoryError() throws Exception {
        provider.reset();
        List<BufferedReader> open = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                HttpResponse<InputStream> answer =
                        CLIENT.send(proxy("/events").build(), HttpResponse.BodyHandlers.ofInputStream());
                BufferedReader events =
                        new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8));
                open.add(events);
                assertThat(events.readLine()).isEqualTo("data: one");
            }
            HttpResponse<String> refused =
                    CLIENT.send(proxy("/bytes/10").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.body()).contains("\"type\":\"overloaded\"").contains("INTEGRATION_MEMORY_BUDGET_BYTES");
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        } finally {
            provider.release();
            for (BufferedReader events : open) {
                while (events.readLine() != null) {
                    // drain: each stream ends and gives its share back
                }
                events.close();
            }
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                CLIENT.send(proxy("/bytes/10").build(), HttpResponse.BodyHandlers.ofString())
                                        .statusCode())
                        .isEqualTo(200));
    }

    @Test
    void aThirtyMebibyteAnswerOnTheUnaryGrpcCallIsRefusedNamingTheLimit() throws Exception {
        try (GrpcClient grpc = new GrpcClient(hub.hub().grpcPort())) {
            assertThatThrownBy(() -> grpc.stub(hub.token("bulk", Scope.CALL))
                            .call(CallRequest.newBuilder()
                                    .setProvider("files")
                                    .setMethod("GET")
                                    .setPath("/bytes/" + 30 * MIB)
                                    .build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(e.getStatus().getDescription())
                                .contains("INTEGRATION_GRPC_MAX_ANSWER_BYTES")
                                .contains("4000000");
                    });
            // A small answer still arrives whole.
            var small = grpc.stub(hub.token("bulk", Scope.CALL))
                    .call(CallRequest.newBuilder()
                            .setProvider("files")
                            .setMethod("GET")
                            .setPath("/bytes/1000")
                            .build());
            assertThat(small.getBody().size()).isEqualTo(1000);
            assertThat(small.getBody().byteAt(999)).isEqualTo(StreamingProvider.patternByte(999));
        }
    }

    @Test
    void aThirtyMebibyteRequestIsParkedAndItsDlqReplayDeliversItExactly() throws Exception {
        provider.failUploads(true);
        byte[] body = new byte[30 * MIB];
        new Random(30).nextBytes(body);
        String digest =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        HttpResponse<String> parked = CLIENT.send(
                proxy("/flaky-upload")
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(parked.statusCode()).as(parked.body()).isEqualTo(502);
        String entryId = io.integrationhub.registry.Json.mapper()
                .readTree(parked.body())
                .path("dlqEntryId")
                .asText();
        assertThat(entryId).isNotBlank();

        provider.failUploads(false);
        String dlq = "/api/v1/integrations/dlq/" + entryId;
        Answer retry = hub.client().send("POST", dlq + "/retry", hub.token("bulk", Scope.DLQ_WRITE), null, Map.of());
        assertThat(retry.status()).as(retry.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> hub.client()
                        .get(dlq, hub.token("bulk", Scope.DLQ_READ))
                        .json()
                        .path("status")
                        .asText()
                        .equals("succeeded"));
        assertThat(provider.lastUploadSize()).isEqualTo(body.length);
        assertThat(HexFormat.of().formatHex(provider.lastUploadDigest())).isEqualTo(digest);
    }
}
