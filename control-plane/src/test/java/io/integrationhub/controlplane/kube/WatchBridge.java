package io.integrationhub.controlplane.kube;

import com.sun.net.httpserver.HttpExchange;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * kubectl watches over HTTP streaming (one JSON event per line); the mock serves watches over
 * WebSocket only. This opens the mock's WebSocket watch and writes each event to kubectl's response
 * until either side closes. A watch the mock refuses (410 Gone, say) becomes the ERROR event a real
 * API server streams in that case.
 */
final class WatchBridge {
    private final HttpClient client;

    WatchBridge(HttpClient client) {
        this.client = client;
    }

    void bridge(HttpExchange exchange, URI webSocketUri) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        WebSocket socket;
        try {
            socket = client.newWebSocketBuilder().buildAsync(webSocketUri, new Forwarder(exchange, done)).get();
        } catch (ExecutionException e) {
            refused(exchange, e.getCause());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        try {
            done.join();
        } finally {
            socket.abort();
            exchange.close();
        }
    }

    private static void refused(HttpExchange exchange, Throwable cause) throws IOException {
        int code = cause instanceof WebSocketHandshakeException h ? h.getResponse().statusCode() : 500;
        String status = Serialization.asJson(new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure").withCode(code)
                .withReason(code == 410 ? "Expired" : "InternalError")
                .withMessage(code == 410 ? "too old resource version" : "watch failed: " + cause).build());
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(("{\"type\":\"ERROR\",\"object\":" + status + "}\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Writes whole WebSocket messages as lines; ends the response when the mock closes the watch. */
    private static final class Forwarder implements WebSocket.Listener {
        private final HttpExchange exchange;
        private final CompletableFuture<Void> done;
        private final StringBuilder partial = new StringBuilder();
        private OutputStream out;

        Forwarder(HttpExchange exchange, CompletableFuture<Void> done) {
            this.exchange = exchange;
            this.done = done;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            try {
                exchange.sendResponseHeaders(200, 0);
                out = exchange.getResponseBody();
            } catch (IOException e) {
                done.complete(null);
            }
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    out.write((partial.toString().replace("\n", "") + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    // kubectl went away: stop watching.
                    done.complete(null);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            done.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            done.complete(null);
        }
    }
}
