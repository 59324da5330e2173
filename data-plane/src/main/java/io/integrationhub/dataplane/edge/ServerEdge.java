package io.integrationhub.dataplane.edge;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An answer sent before the request body was read ends the connection the way nginx does it:
 * {@code Connection: close}, then the unread body is read and thrown away, bounded in bytes and in
 * time, and only then is the socket closed.
 *
 * <p>Why: a client that writes its whole body before reading (Python's urllib, many SDKs) sends
 * {@code Connection: close}; Helidon 4.5 then skips the unread body and closes the socket with those
 * bytes still unread, the kernel answers them with a reset, and the client sees EPIPE or
 * ECONNRESET instead of the 413 or 401. Worse, Helidon keeps the connection open and parses the
 * unread body as the next request (a body of {@code GET /health/live HTTP/1.1} is answered as one).
 * With keep-alive, Helidon reads the unread body to its end without any bound.
 *
 * <p>The bytes read here are capped twice: by {@link Drain#maxBytes()}, and by Helidon's own
 * {@code max-payload-size} (set by {@link #configure} to the body limit plus that cap), which also
 * refuses a declared {@code Content-Length} beyond it before routing and bounds a single chunk. The
 * time is capped by interrupting the connection's thread, which closes its socket.
 */
public final class ServerEdge implements AutoCloseable {
    private final long maxBodyBytes;
    private final Drain drain;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("edge-drain-deadline").factory());

    /**
     * How much of an unread body is read and thrown away before the connection is closed.
     *
     * @param maxBytes bytes past which the hub gives up and closes (the client then sees a reset)
     * @param maxTime time past which the hub gives up, however slowly the body still arrives
     */
    public record Drain(long maxBytes, Duration maxTime) {
        /** 16 MiB in 10 s: a 10 MiB limit overrun by an honest client is read to its end; a slow loris is not. */
        public static final Drain DEFAULT = new Drain(16L * 1024 * 1024, Duration.ofSeconds(10));

        public Drain {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("drain maxBytes must be >= 0, but was " + maxBytes);
            }
            if (maxTime.isNegative() || maxTime.isZero()) {
                throw new IllegalArgumentException("drain maxTime must be > 0, but was " + maxTime);
            }
        }
    }

    public ServerEdge(long maxBodyBytes, Drain drain) {
        this.maxBodyBytes = maxBodyBytes;
        this.drain = drain;
    }

    /** Caps what Helidon reads of one request body on the HTTP listener (see the class comment). */
    public void configure(WebServerConfig.Builder server) {
        server.maxPayloadSize(maxBodyBytes + drain.maxBytes());
    }

    /** Installs the filter that closes connections whose body was left unread. */
    public void register(HttpRouting.Builder routing) {
        routing.addFilter(this::filter);
    }

    private void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!req.content().hasEntity()) {
            chain.proceed();
            return;
        }
        boolean[] answeredEarly = {false};
        res.beforeSend(() -> {
            if (!req.content().consumed()) {
                answeredEarly[0] = true;
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
        });
        chain.proceed();
        if (!answeredEarly[0]) {
            return;
        }
        if (!req.content().consumed() && !awaitsContinue(req)) {
            readAndDiscard(req, res.status());
        }
        // Whatever is left unread is not a request: never parse it as the next one.
        throw new CloseConnectionException("answered before the request body was read");
    }

    /** A client still waiting for {@code 100 Continue} has not sent its body: nothing to read. */
    private static boolean awaitsContinue(RoutingRequest req) {
        return req.headers().contains(HeaderValues.EXPECT_100) && !req.continueSent();
    }

    private void readAndDiscard(RoutingRequest req, Status status) {
        Thread connection = Thread.currentThread();
        Deadline deadline = new Deadline(connection);
        ScheduledFuture<?> timer =
                deadlines.schedule(deadline::fire, drain.maxTime().toNanos(), TimeUnit.NANOSECONDS);
        try {
            InputStream body = untouchedBody(req);
            if (body != null) {
                discard(body);
            } else if (status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
                // The route stopped reading mid-body because it was too large: read the rest (Helidon's
                // max-payload-size bounds the bytes, the deadline the time) so the 413 stays readable.
                // After any other answer a half-read body may be broken framing: close at once.
                req.content().consume();
            }
        } catch (RuntimeException | IOException e) {
            // The client went away, the framing broke, or the deadline closed the socket: closing is all that is left.
        } finally {
            timer.cancel(false);
            deadline.disarm();
        }
    }

    /** The body stream when no route has touched it; null when one has (Helidon hands it out once). */
    private static InputStream untouchedBody(RoutingRequest req) {
        try {
            return req.content().inputStream();
        } catch (IllegalStateException alreadyRequested) {
            return null;
        }
    }

    private void discard(InputStream body) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = drain.maxBytes();
        int read;
        while (left > 0 && (read = body.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
            left -= read;
        }
    }

    /**
     * Interrupts the connection's thread when the drain takes too long; an interrupted read on the
     * socket closes it. Disarmed under the same lock, so an interrupt never leaks past the drain.
     */
    private static final class Deadline {
        private final Thread thread;
        private boolean armed = true;
        private boolean fired;

        Deadline(Thread thread) {
            this.thread = thread;
        }

        synchronized void fire() {
            if (armed) {
                fired = true;
                thread.interrupt();
            }
        }

        synchronized void disarm() {
            armed = false;
            if (fired) {
                Thread.interrupted(); // our own interrupt, not a shutdown: the connection closes anyway
            }
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
    }
}
