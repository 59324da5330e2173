package io.integrationhub.dataplane;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake provider that streams under the test's control, with no timing in it: {@code /events}
 * answers one server-sent event, then waits on a latch the test releases, then sends the rest;
 * {@code /chunked} does the same with binary chunks; {@code /late} waits on the latch before its
 * status line; {@code /bytes/N} answers N bytes of a known
 * pattern with a Content-Length; {@code /upload} counts and digests what it receives.
 */
public final class StreamingProvider implements AutoCloseable {
    private final HttpServer server;
    private volatile CountDownLatch release = new CountDownLatch(1);
    private volatile CountDownLatch firstSent = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private volatile byte[] lastUploadDigest;
    private volatile long lastUploadSize;
    private volatile boolean failUploads = true;

    public StreamingProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/events", this::events);
        server.createContext("/chunked", this::chunked);
        server.createContext("/late", this::late);
        server.createContext("/bytes/", this::bytes);
        server.createContext("/upload", this::upload);
        server.createContext("/flaky-upload", exchange -> {
            if (failUploads) {
                requests.incrementAndGet();
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
            } else {
                upload(exchange);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Arms the latches for the next streamed answer. */
    public void reset() {
        release = new CountDownLatch(1);
        firstSent = new CountDownLatch(1);
        requests.set(0);
    }

    /** Lets a waiting stream send the rest. */
    public void release() {
        release.countDown();
    }

    /** Waits until the first piece has been written (so the test knows the provider is now waiting). */
    public void awaitFirstSent() throws InterruptedException {
        if (!firstSent.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the provider never sent its first piece");
        }
    }

    /** Whether the provider is still held at its latch. */
    public boolean waiting() {
        return release.getCount() > 0;
    }

    public int requests() {
        return requests.get();
    }

    public byte[] lastUploadDigest() {
        return lastUploadDigest;
    }

    /** Whether {@code /flaky-upload} answers 503 (after reading the whole body) instead of taking it. */
    public void failUploads(boolean fail) {
        failUploads = fail;
    }

    public long lastUploadSize() {
        return lastUploadSize;
    }

    /**
     * The pattern of every {@code /bytes/N} answer: a period of 65,521 bytes (a prime), so a piece
     * lost, doubled or moved by any power-of-two buffer size shows up as a mismatch.
     */
    private static final int PERIOD = 65_521;

    private static final byte[] PATTERN = new byte[2 * PERIOD + 64 * 1024];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) ((i % PERIOD) * 31 + ((i % PERIOD) >>> 11));
        }
    }

    /** Byte {@code i} of every {@code /bytes/N} answer. */
    public static byte patternByte(long i) {
        return PATTERN[(int) (i % PERIOD)];
    }

    /** Whether {@code bytes[0..length)} are the pattern's bytes from position {@code at} on. */
    public static boolean matchesPattern(byte[] bytes, int length, long at) {
        int done = 0;
        while (done < length) {
            int from = (int) ((at + done) % PERIOD);
            int n = Math.min(length - done, PERIOD);
            if (java.util.Arrays.mismatch(bytes, done, done + n, PATTERN, from, from + n) >= 0) {
                return false;
            }
            done += n;
        }
        return true;
    }

    private void events(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            firstSent.countDown();
            awaitRelease();
            out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
            out.write("data: three\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void late(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        firstSent.countDown();
        awaitRelease();
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private void chunked(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(new byte[] {1, 2, 3, 4});
            out.flush();
            firstSent.countDown();
            awaitRelease();
            out.write(new byte[] {5, 6, 7, 8});
        }
    }

    private void bytes(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        long size = Long.parseLong(exchange.getRequestURI().getPath().substring("/bytes/".length()));
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, size);
        try (OutputStream out = exchange.getResponseBody()) {
            long sent = 0;
            while (sent < size) {
                int n = (int) Math.min(64 * 1024, size - sent);
                out.write(PATTERN, (int) (sent % PERIOD), n);
                sent += n;
            }
        }
    }

    private void upload(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            long size = 0;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = exchange.getRequestBody().read(buffer)) != -1) {
                digest.update(buffer, 0, n);
                size += n;
            }
            lastUploadDigest = digest.digest();
            lastUploadSize = size;
            byte[] answer = ("{\"received\":" + size + ",\"sha256\":\""
                            + java.util.HexFormat.of().formatHex(lastUploadDigest) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitRelease() throws IOException {
        try {
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IOException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }

    /**
     * A provider that starts a chunked answer and then breaks the connection: one chunk, no last
     * chunk, the socket closed. Returns the port; it serves one connection at a time until closed.
     */
    public static final class Breaking implements AutoCloseable {
        private final ServerSocket socket;

        public Breaking() throws IOException {
            socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::serve);
        }

        public int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    byte[] buffer = new byte[8192];
                    int n = connection.getInputStream().read(buffer);
                    if (n <= 0) {
                        continue;
                    }
                    OutputStream out = connection.getOutputStream();
                    out.write(
                            ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                                            + "b\r\ndata: one\n\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // closed: the test is over
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
