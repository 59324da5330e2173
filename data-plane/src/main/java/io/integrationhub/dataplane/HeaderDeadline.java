package io.integrationhub.dataplane;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The slow-loris limit of the HTTP/1.1 listeners: a request's headers must be complete within the
 * deadline after its request line, or the connection is closed. Helidon closes a connection that
 * sits in the request line (its idle check), and its read timeout is not applied to NIO sockets, so
 * a client trickling one header byte every few seconds would otherwise hold a connection forever.
 * One timer per request, cancelled when its headers are in.
 */
final class HeaderDeadline implements Http1ConnectionListener, AutoCloseable {
    private final Duration deadline;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "header-deadline");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    HeaderDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        String connection = ctx.socketId() + "/" + ctx.childSocketId();
        ScheduledFuture<?> expiry = timer.schedule(
                () -> {
                    if (pending.remove(connection) != null) {
                        ctx.serverSocket().close(); // the blocked header read fails and the connection ends
                    }
                },
                deadline.toMillis(),
                TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = pending.put(connection, expiry);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        ScheduledFuture<?> expiry = pending.remove(ctx.socketId() + "/" + ctx.childSocketId());
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
