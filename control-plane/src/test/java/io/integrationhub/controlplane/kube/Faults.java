package io.integrationhub.controlplane.kube;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One-shot faults a real API server throws at an operator, armed by a test and spent by the next
 * matching request: a 409 Conflict on a status write, a watch answered 410 Gone (the client must
 * relist), a watch that opens and is closed at once, every open watch closed now.
 */
public final class Faults {
    private record Armed(Predicate<String> matches, Supplier<MockResponse> response) {}

    private final Queue<Armed> writes = new ConcurrentLinkedQueue<>();
    private final Queue<Armed> watches = new ConcurrentLinkedQueue<>();
    private final AtomicInteger fired = new AtomicInteger();
    private final Map<WebSocket, String> openWatches = new ConcurrentHashMap<>();

    /** The next write to a {@code /status} subresource of {@code plural} answers 409, as after a concurrent update. */
    public void conflictOnNextStatusWrite(String plural) {
        writes.add(
                new Armed(
                        path -> pathOnly(path).endsWith("/status")
                                && pathOnly(path).contains("/" + plural + "/"),
                        () -> status(
                                409,
                                "Conflict",
                                "Operation cannot be fulfilled on " + plural
                                        + ": the object has been modified; please apply your changes to the latest version and try again")));
    }

    /** The next watch of {@code plural} answers 410 Gone: its resourceVersion is too old. */
    public void goneOnNextWatch(String plural) {
        watches.add(new Armed(
                path -> pathOnly(path).endsWith("/" + plural),
                () -> status(410, "Expired", "too old resource version")));
    }

    /** The next watch of {@code plural} is accepted and closed by the server right away. */
    public void closeNextWatch(String plural) {
        watches.add(new Armed(
                path -> pathOnly(path).endsWith("/" + plural),
                () -> new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket, Response response) {
                        webSocket.close(1000, "watch closed by the server");
                    }
                })));
    }

    /** Closes every watch of {@code plural} open now, as an API server does on restart or timeout; returns how many. */
    public int closeOpenWatches(String plural) {
        int closed = 0;
        for (var watch : openWatches.entrySet()) {
            if (pathOnly(watch.getValue()).endsWith("/" + plural) && openWatches.remove(watch.getKey()) != null) {
                watch.getKey().close(1000, "watch closed by the server");
                closed++;
            }
        }
        return closed;
    }

    /** The mock's own watch listener, with its WebSocket recorded while open so that a test can close it. */
    WebSocketListener tracked(WebSocketListener watch, String path) {
        return new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                openWatches.put(webSocket, path);
                watch.onOpen(webSocket, response);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                watch.onMessage(webSocket, text);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                watch.onClosing(webSocket, code, reason);
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                openWatches.remove(webSocket);
                watch.onClosed(webSocket, code, reason);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                openWatches.remove(webSocket);
                watch.onFailure(webSocket, t, response);
            }
        };
    }

    /** How many armed faults have been spent. */
    public int fired() {
        return fired.get();
    }

    MockResponse onWrite(String method, String path) {
        return spend(writes, path);
    }

    MockResponse onWatch(String path) {
        return path.contains("watch=true") ? spend(watches, path) : null;
    }

    private MockResponse spend(Queue<Armed> queue, String path) {
        for (Armed armed : queue) {
            if (armed.matches().test(path) && queue.remove(armed)) {
                fired.incrementAndGet();
                return armed.response().get();
            }
        }
        return null;
    }

    private static String pathOnly(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse()
                .setResponseCode(code)
                .setBody(Serialization.asJson(new StatusBuilder()
                        .withStatus("Failure")
                        .withCode(code)
                        .withReason(reason)
                        .withMessage(message)
                        .withNewMetadata()
                        .endMetadata()
                        .build()));
    }
}
