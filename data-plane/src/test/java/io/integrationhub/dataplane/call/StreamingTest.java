package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.StreamingProvider;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Answers reach the caller as they arrive. The provider sends one piece and then waits on a latch
 * that only the test releases: the test must see that piece while the provider is still waiting,
 * so nothing here depends on timing.
 */
@Tag("hub")
class StreamingTest {
    private static StreamingProvider provider;
    private static StreamingProvider.Breaking breaking;
    private static TestHub hub;
    private static String token;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        provider = new StreamingProvider();
        breaking = new StreamingProvider.Breaking();
        hub = TestHub.start(Map.of("INTEGRATION_MAX_KEPT_ANSWER_BYTES", "1000"));
        Providers.create(hub, "media", Providers.local("sse", provider.port(), "{\"type\":\"none\"}", ""));
        Providers.create(hub, "media", Providers.local("broken", breaking.port(), "{\"type\":\"none\"}", ""));
        Providers.create(
                hub, "media", Providers.local("quiet", provider.port(), "{\"type\":\"none\"}", "\"timeoutMs\": 300"));
        // Headers within 300 ms, then a minute of silence allowed between chunks; and the other way round.
        Providers.create(
                hub,
                "media",
                Providers.local(
                        "patient",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"timeoutMs\": 300, \"streamIdleTimeoutMs\": 60000, \"retry\": {\"maxAttempts\": 1}"));
        Providers.create(
                hub,
                "media",
                Providers.local(
                        "impatient",
                        provider.port(),
                        "{\"type\":\"none\"}",
                        "\"timeoutMs\": 30000, \"streamIdleTimeoutMs\": 300"));
        token = hub.token("media", Scope.CALL);
    }

    @AfterAll
    static void stop() throws IOException {
        hub.close();
        provider.close();
        breaking.close();
    }

    @BeforeEach
    void reset() {
        provider.reset();
    }

    private static HttpResponse<InputStream> proxy(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(hub.hub().baseUri() + "/api/v1/integrations/proxy/" + path))
                // The JDK client never sends Proxy-Authorization without a proxy: the hub token as the SDK's own
                // bearer.
                .header("Authorization", "Bearer " + token);
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static HttpResponse<InputStream> envelope(String json) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create(hub.hub().baseUri() + "/api/v1/integrations/call"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private static void assertEventsStream(HttpResponse<InputStream> answer) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("text/event-stream");
        try (BufferedReader events = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            assertThat(events.readLine()).isEqualTo("data: one");
            assertThat(provider.waiting())
                    .as("the first event arrived while the provider was still holding the rest")
                    .isTrue();
            provider.release();
            List<String> rest = new ArrayList<>();
            for (String line; (line = events.readLine()) != null; ) {
                rest.add(line);
            }
            assertThat(rest).containsExactly("", "data: two", "", "data: three", "");
        }
    }

    @Test
    void serverSentEventsReachTheCallerOfTheProxyRouteAsTheyArrive() throws Exception {
        assertEventsStream(proxy("sse/events", Map.of("Accept", "text/event-stream")));
    }

    @Test
    void serverSentEventsReachTheCallerOfTheEnvelopeRouteAsTheyArrive() throws Exception {
        assertEventsStream(envelope("{\"provider\":\"sse\",\"method\":\"GET\",\"path\":\"/events\"}"));
    }

    @Test
    void aChunkedDownloadIsPassedOnChunkByChunk() throws Exception {
        HttpResponse<InputStream> answer = proxy("sse/chunked", Map.of());
        assertThat(answer.statusCode()).isEqualTo(200);
        try (InputStream in = answer.body()) {
            assertThat(in.readNBytes(4)).containsExactly(1, 2, 3, 4);
            assertThat(provider.waiting()).isTrue();
            provider.release();
            assertThat(in.readAllBytes()).containsExactly(5, 6, 7, 8);
        }
    }

    @Test
    void aStreamThatBreaksMidwayBreaksTheCallersAnswerInsteadOfEndingItCleanly() throws Exception {
        HttpResponse<InputStream> answer = proxy("broken/events", Map.of());
        assertThat(answer.statusCode()).isEqualTo(200);
        try (InputStream in = answer.body()) {
            assertThat(new String(in.readNBytes(11), StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
            assertThatThrownBy(in::readAllBytes)
                    .as("a truncated stream must not look complete")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aStreamSilentForLongerThanTheProviderTimeoutBreaksInsteadOfHangingOrEndingCleanly() throws Exception {
        // The provider sends one event and then nothing (the test never releases it): after timeoutMs of
        // silence between pieces the hub gives up on the stream, and the caller sees it broken.
        HttpResponse<InputStream> answer = proxy("quiet/events", Map.of());
        assertThat(answer.statusCode()).isEqualTo(200);
        try (InputStream in = answer.body()) {
            assertThat(new String(in.readNBytes(11), StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        }
        assertThat(provider.waiting())
                .as("the provider was still holding the rest")
                .isTrue();
        provider.release();
    }

    @Test
    void aStreamMayPauseLongerThanTheProviderTimeoutWithinItsStreamIdleTimeout() throws Exception {
        HttpResponse<InputStream> answer = proxy("patient/events", Map.of());
        assertThat(answer.statusCode()).isEqualTo(200);
        try (InputStream in = answer.body()) {
            assertThat(new String(in.readNBytes(11), StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
            // Four times timeoutMs of silence: a real socket's read timeout is what is under test here.
            Thread.sleep(1_200);
            assertThat(provider.waiting()).isTrue();
            provider.release();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data: two\n\ndata: three\n\n");
        }
    }

    @Test
    void theStreamIdleTimeoutBreaksASilentStreamLongBeforeTheProviderTimeout() throws Exception {
        HttpResponse<InputStream> answer = proxy("impatient/events", Map.of());
        assertThat(answer.statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        try (InputStream in = answer.body()) {
            assertThat(new String(in.readNBytes(11), StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        }
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                .as("broken by the 300 ms idle timeout, not the 30 s provider timeout")
                .isLessThan(java.time.Duration.ofSeconds(15));
        provider.release();
    }

    @Test
    void theProviderTimeoutStillBoundsTheWaitForTheHeadersWhenTheStreamIdleTimeoutIsLonger() throws Exception {
        HttpResponse<InputStream> answer = envelope("{\"provider\":\"patient\",\"method\":\"GET\",\"path\":\"/late\"}");
        try (InputStream in = answer.body()) {
            assertThat(answer.statusCode()).isEqualTo(504);
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("did not answer in time");
        }
        assertThat(provider.waiting())
                .as("the provider was still holding its status line")
                .isTrue();
        provider.release();
    }

    @Test
    void aLargeAnswerIsStreamedWithItsLengthAndByteForByte() throws Exception {
        int size = 5 * 1024 * 1024 + 7;
        HttpResponse<InputStream> answer = proxy("sse/bytes/" + size, Map.of());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValueAsLong("Content-Length")).hasValue(size);
        try (InputStream in = answer.body()) {
            byte[] bytes = in.readAllBytes();
            assertThat(bytes).hasSize(size);
            for (int i = 0; i < size; i++) {
                if (bytes[i] != StreamingProvider.patternByte(i)) {
                    throw new AssertionError("byte " + i + " differs");
                }
            }
        }
    }

    @Test
    void aKeyedAnswerTooLargeToKeepCompletesTheKeyAndItsReplayIsAProblemWithTheOriginalStatus() throws Exception {
        Map<String, String> keyed = Map.of("Idempotency-Key", "big-answer-" + System.nanoTime());
        HttpResponse<InputStream> first = proxy("sse/bytes/5000", keyed);
        assertThat(first.statusCode()).isEqualTo(200);
        try (InputStream in = first.body()) {
            assertThat(in.readAllBytes()).hasSize(5000);
        }
        HttpResponse<InputStream> replay = proxy("sse/bytes/5000", keyed);
        String problem;
        try (InputStream in = replay.body()) {
            problem = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(replay.statusCode()).as(problem).isEqualTo(410);
        assertThat(replay.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(problem)
                .contains("\"type\":\"idempotent-answer-not-kept\"")
                .contains("\"originalStatus\":200")
                .contains("application/octet-stream");
        assertThat(replay.headers().firstValue("X-Idempotent-Replay")).contains("true");
        assertThat(provider.requests())
                .as("the replay made no upstream request")
                .isEqualTo(1);

        Map<String, String> small = Map.of("Idempotency-Key", "small-answer-" + System.nanoTime());
        for (int i = 0; i < 2; i++) {
            HttpResponse<InputStream> answer = proxy("sse/bytes/900", small);
            try (InputStream in = answer.body()) {
                assertThat(in.readAllBytes()).hasSize(900);
            }
            assertThat(answer.headers().firstValue("X-Idempotent-Replay"))
                    .isEqualTo(i == 0 ? java.util.Optional.empty() : java.util.Optional.of("true"));
        }
    }
}
