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
        Forwarder forwarder = new Forwarder(exchange, done);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        WebSocket socket;
        try {
            socket = client.newWebSocketBuilder()
                    .buildAsync(webSocketUri, forwarder)
                    .get();
        } catch (ExecutionException e) {
            refused(exchange, e.getCause());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        try {
            alreadyGone(webSocketUri).ifPresent(forwarder::deleted);
            done.join();
        } finally {
            socket.abort();
            exchange.close();
        }
    }

    /**
     * A watch of one named object ({@code fieldSelector=metadata.name=X}, as {@code kubectl delete}
     * and {@code kubectl wait} open after listing) misses a deletion that happened between the list
     * and the watch: the mock's watches replay nothing. A real API server replays from the list's
     * resourceVersion, so kubectl gets the DELETED event; here it is sent when the object is gone.
     */
    private java.util.Optional<String> alreadyGone(URI webSocketUri) {
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("fieldSelector=metadata\\.name=([a-z0-9.-]+)")
                .matcher(webSocketUri.getRawQuery() == null ? "" : webSocketUri.getRawQuery());
        java.util.regex.Matcher collection = java.util.regex.Pattern.compile(
                        "^/apis?/(?:([^/]+)/)?(v[^/]+)/(?:namespaces/([^/]+)/)?([a-z]+)$")
                .matcher(webSocketUri.getRawPath());
        if (!named.find() || !collection.matches()) {
            return java.util.Optional.empty();
        }
        try {
            java.net.http.HttpResponse<Void> found = client.send(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://" + webSocketUri.getRawAuthority()
                                    + webSocketUri.getRawPath() + "/" + named.group(1)))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            if (found.statusCode() != 404) {
                return java.util.Optional.empty();
            }
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
        String plural = collection.group(4);
        String kind = Character.toUpperCase(plural.charAt(0)) + plural.substring(1, plural.length() - 1);
        String apiVersion =
                collection.group(1) == null ? collection.group(2) : collection.group(1) + "/" + collection.group(2);
        return java.util.Optional.of("{\"type\":\"DELETED\",\"object\":{\"apiVersion\":\"" + apiVersion
                + "\",\"kind\":\"" + kind
                + "\",\"metadata\":{\"name\":\"" + named.group(1) + "\""
                + (collection.group(3) == null ? "" : ",\"namespace\":\"" + collection.group(3) + "\"") + "}}}");
    }

    private static void refused(HttpExchange exchange, Throwable cause) throws IOException {
        int code =
                cause instanceof WebSocketHandshakeException h ? h.getResponse().statusCode() : 500;
        String status = Serialization.asJson(new StatusBuilder()
                .withNewMetadata()
                .endMetadata()
                .withStatus("Failure")
                .withCode(code)
                .withReason(code == 410 ? "Expired" : "InternalError")
                .withMessage(code == 410 ? "too old resource version" : "watch failed: " + cause)
                .build());
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
        public synchronized void onOpen(WebSocket webSocket) {
            try {
                if (out == null) {
                    exchange.sendResponseHeaders(200, 0);
                    out = exchange.getResponseBody();
                }
            } catch (IOException e) {
                done.complete(null);
            }
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                write(partial.toString().replace("\n", ""));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        /** The watched object is gone already: say so, and end the watch as a real server's would go on. */
        void deleted(String event) {
            write(event);
            done.complete(null);
        }

        private synchronized void write(String line) {
            try {
                if (out == null) {
                    exchange.sendResponseHeaders(200, 0);
                    out = exchange.getResponseBody();
                }
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // kubectl went away: stop watching.
                done.complete(null);
            }
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
