package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.sun.net.httpserver.HttpServer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.testkit.Canary;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK, unmodified, streams a chat completion through {@code /proxy} from a
 * local fake of its API. The fake sends one token and then waits until the test has seen it in the
 * SDK's stream: each token reaches the caller before the next one is even sent.
 */
@Tag("hub")
class OpenAiSdkStreamingTest {
    private static final List<String> TOKENS = List.of("Pay", "ment", " ", "accepted", ".");
    private static HttpServer openAi;
    private static TestHub hub;
    private static final Semaphore next = new Semaphore(0);
    private static final AtomicInteger sent = new AtomicInteger();
    private static final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeAll
    static void start() throws IOException {
        openAi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        openAi.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        openAi.createContext("/v1/chat/completions", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String token : TOKENS) {
                    // Counted before it is written: the SDK may read it before this thread runs on.
                    sent.incrementAndGet();
                    out.write(
                            ("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                                            + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                                            + token
                                            + "\"},\"finish_reason\":null}]}\n\n")
                                    .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (!next.tryAcquire(30, TimeUnit.SECONDS)) {
                        throw new IOException("the test never took the token");
                    }
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        openAi.start();
        hub = TestHub.start(Map.of());
        Providers.create(
                hub,
                "assistant",
                Providers.local(
                        "openai",
                        openAi.getAddress().getPort(),
                        "{\"type\":\"bearer\",\"credentials\":{\"token\":\"" + Canary.SECRET + "\"}}",
                        ""));
    }

    @AfterAll
    static void stop() {
        hub.close();
        openAi.stop(0);
    }

    @Test
    void eachTokenReachesTheSdkBeforeTheNextIsSent() {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(hub.hub().baseUri() + "/api/v1/integrations/proxy/openai/v1")
                .apiKey(hub.token("assistant", Scope.CALL))
                .maxRetries(0)
                .build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("gpt-test")
                .addUserMessage("charge it")
                .build();
        List<String> received = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            while (chunks.hasNext()) {
                ChatCompletionChunk chunk = chunks.next();
                String token = chunk.choices().get(0).delta().content().orElse("");
                received.add(token);
                assertThat(sent.get())
                        .as("token '" + token + "' arrived while the fake API held the next one")
                        .isEqualTo(received.size());
                next.release();
            }
        } finally {
            client.close();
        }
        assertThat(received).containsExactlyElementsOf(TOKENS);
        assertThat(authorization.get())
                .as("the provider got the injected credential, not the hub token")
                .isEqualTo("Bearer " + Canary.SECRET);
    }
}
