package io.integrationhub.dataplane.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.testkit.Canary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP/1.1 edge, driven over raw sockets the way hostile or simple clients drive it: a client
 * that writes its whole body before reading still reads the 413/401/403; the unread body is drained
 * within bounds and never taken for the next request; a broken chunked framing is answered 400 at
 * once; the caller's bytes never reach the logs.
 */
@Tag("hub")
class ServerEdgeTest {
    private static final int MAX_BODY = 1024 * 1024;
    private static final ServerEdge.Drain DRAIN = new ServerEdge.Drain(16L * 1024 * 1024, Duration.ofSeconds(3));
    /** Generous: every answer here comes in milliseconds; only a hub that waits for the client misses it. */
    private static final int CEILING_MILLIS = 5_000;

    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(
                Map.of("INTEGRATION_MAX_BODY_BYTES", String.valueOf(MAX_BODY)),
                Hub.Options.defaults().withDrain(DRAIN));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void tooLargeIsReadableByAClientThatWritesItsWholeBodyBeforeReading() throws IOException {
        // What Python's urllib does: Connection: close, the whole body, then read. 12 MiB is more than the
        // socket buffers hold, so a hub that hangs up without draining makes this write fail.
        Answer answer = writeAllThenRead(
                callHead(
                        "Bearer " + hub.token("t1", Scope.CALL),
                        "Connection: close\r\nContent-Length: " + 12 * MAX_BODY),
                new byte[12 * MAX_BODY]);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("\"type\":\"payload-too-large\"");
        assertThat(answer.header("connection")).isEqualTo("close");
        assertThat(answer.rest()).isEmpty();
        assertThat(answer.closedByHub()).isTrue();
    }

    @Test
    void tooLargeMidChunkedBodyIsReadableToo() throws IOException {
        // A well-formed start (the envelope is parsed as it streams): the size limit, not the syntax, ends it.
        byte[] filler = new byte[64 * 1024];
        java.util.Arrays.fill(filler, (byte) 'a');
        byte[] first = filler.clone();
        byte[] start = "{\"provider\":\"p\",\"method\":\"POST\",\"path\":\"/x\",\"body\":\""
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(start, 0, first, 0, start.length);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 12 * MAX_BODY / filler.length; i++) {
            byte[] chunk = i == 0 ? first : filler;
            body.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(chunk);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        Answer answer = writeAllThenRead(
                callHead("Bearer " + hub.token("t1", Scope.CALL), "Transfer-Encoding: chunked"), body.toByteArray());

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.closedByHub()).isTrue();
    }

    @Test
    void earlyUnauthorizedAndForbiddenAreReadable() throws IOException {
        byte[] body = new byte[8 * MAX_BODY];
        Answer unauthorized =
                writeAllThenRead(callHead(null, "Connection: close\r\nContent-Length: " + body.length), body);
        Answer forbidden = writeAllThenRead(
                callHead(
                        "Bearer " + hub.token("t1", Scope.PROVIDERS_READ),
                        "Connection: close\r\nContent-Length: " + body.length),
                body);

        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.body()).contains("\"type\":\"unauthorized\"");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(unauthorized.closedByHub()).isTrue();
        assertThat(forbidden.closedByHub()).isTrue();
    }

    @Test
    void anUnreadBodyIsNeverTakenForTheNextRequest() throws IOException {
        byte[] smuggled = "GET /health/live HTTP/1.1\r\nHost: hub\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        Answer answer =
                writeAllThenRead(callHead(null, "Connection: close\r\nContent-Length: " + smuggled.length), smuggled);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.rest())
                .as("nothing after the 401: the body was not answered as a request")
                .isEmpty();
        assertThat(answer.closedByHub()).isTrue();
    }

    @Test
    void drainingStopsAtItsByteBound() throws IOException {
        // A body declared endless (chunked) behind an early 401: the hub reads DRAIN.maxBytes() of it, then hangs up.
        try (Socket socket = socket()) {
            OutputStream out = socket.getOutputStream();
            out.write(callHead(null, "Transfer-Encoding: chunked"));
            byte[] chunk = chunkOf(64 * 1024);
            long written = 0;
            long limit = 256L * 1024 * 1024;
            try {
                while (written < limit) {
                    out.write(chunk);
                    written += chunk.length;
                }
            } catch (IOException hungUp) {
                // expected: the hub closed the connection
            }
            System.out.printf(
                    "edge: the hub hung up after %,d bytes of an endless body were written (drain bound %,d)%n",
                    written, DRAIN.maxBytes());
            assertThat(written).as("bytes written before the hub hung up").isLessThan(limit);
        }
    }

    @Test
    void drainingStopsAtItsTimeBound() throws IOException {
        // Declares 2 MiB, sends 1 KiB and stalls (a slow loris): the 401 comes at once, the close within the time
        // bound.
        try (Socket socket = socket()) {
            socket.getOutputStream().write(callHead(null, "Content-Length: " + 2 * 1024 * 1024));
            socket.getOutputStream().write(new byte[1024]);
            long start = System.nanoTime();
            Answer answer = read(socket);
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.closedByHub())
                    .as("closed within %s plus a margin (Helidon alone waits 30 s per read)", DRAIN.maxTime())
                    .isTrue();
            System.out.printf(
                    "edge: a stalled body after a 401 was closed after %d ms (time bound %s)%n",
                    millis, DRAIN.maxTime());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "-5", "ffffffffffffffffff", "5;ext=1", "5 ;x", "90000000", "\u0007\u001b[2J"})
    void aMalformedChunkSizeIsAnswered400AtOnce(String sizeLine) throws IOException {
        try (Socket socket = socket()) {
            socket.getOutputStream()
                    .write(callHead("Bearer " + hub.token("t1", Scope.CALL), "Transfer-Encoding: chunked"));
            socket.getOutputStream().write((sizeLine + "\r\nabc\r\n").getBytes(StandardCharsets.ISO_8859_1));
            // The client does not close: the hub must answer and hang up on its own.
            Answer answer = read(socket);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.closedByHub()).isTrue();
        }
    }

    @Test
    void aChunkSizeLineThatNeverEndsIsAnswered400InsteadOfBeingHeld() throws IOException {
        // Helidon alone looks for the end of this line for up to 2 GiB, holding every byte (an
        // OutOfMemoryError from one request). The hub reads a few KiB of it and answers.
        try (Socket socket = socket()) {
            socket.getOutputStream()
                    .write(callHead("Bearer " + hub.token("t1", Scope.CALL), "Transfer-Encoding: chunked"));
            byte[] digits = "1".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            try {
                // More than a socket buffer can hold, so the writes block unless the hub answers and hangs up.
                for (int i = 0; i < 256 && socket.getInputStream().available() == 0; i++) {
                    socket.getOutputStream().write(digits);
                    sent += digits.length;
                }
            } catch (IOException hungUp) {
                // the hub answered and closed while the line was still being written
            }
            Answer answer = read(socket);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.closedByHub()).isTrue();
            assertThat(sent)
                    .as("the hub stopped reading long before 16 MiB of one line")
                    .isLessThan(16L * 1024 * 1024);
        }
    }

    @Test
    void theCallersBytesNeverReachTheLogs() throws IOException {
        String marker = "edge-marker-" + UUID.randomUUID();
        for (String sizeLine : new String[] {"zz" + marker, "5;" + marker, "-" + marker}) {
            try (Socket socket = socket()) {
                socket.getOutputStream()
                        .write(callHead("Bearer " + hub.token("t1", Scope.CALL), "Transfer-Encoding: chunked"));
                socket.getOutputStream().write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(read(socket).status()).isEqualTo(400);
            }
        }

        assertThat(Canary.journal())
                .filteredOn(e -> e.source().startsWith("log "))
                .noneMatch(e -> e.text().contains(marker));
    }

    @Test
    void aLongHostilePathIsLoggedAsAShortEscapedPrefix() {
        String path = "/api/v1/x\n{\"level\":\"SEVERE\"}" + "a".repeat(500);

        String logged = CallerText.prefix(path);

        assertThat(logged)
                .doesNotContain("\n")
                .startsWith("/api/v1/x\\u000a{\"level\"")
                .endsWith("...(" + path.length() + " chars)");
        assertThat(logged.length()).isLessThan(CallerText.PREFIX_CHARS + 40);
    }

    private static byte[] chunkOf(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[size]);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] callHead(String authorization, String framing) {
        String head =
                "POST /api/v1/integrations/call HTTP/1.1\r\nHost: hub\r\nX-Tenant-ID: t1\r\nContent-Type: application/json\r\n"
                        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + framing
                        + "\r\n\r\n";
        return head.getBytes(StandardCharsets.US_ASCII);
    }

    private static Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", hub.hub().port());
        socket.setSoTimeout(CEILING_MILLIS);
        return socket;
    }

    private static Answer writeAllThenRead(byte[] head, byte[] body) throws IOException {
        try (Socket socket = socket()) {
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body); // throws "Broken pipe" / "Connection reset" when the hub hangs up without draining
            out.flush();
            return read(socket);
        }
    }

    /** Reads one answer by its Content-Length, then whatever follows until the hub closes (or the ceiling passes). */
    private static Answer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean closed = false;
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                received.write(buffer, 0, read);
            }
            closed = true;
        } catch (SocketTimeoutException stillOpen) {
            closed = false;
        } catch (IOException reset) {
            closed = received.size() > 0; // a reset after the whole answer still ends the connection
        }
        return Answer.parse(received.toByteArray(), closed);
    }

    private record Answer(int status, Map<String, String> headers, String body, String rest, boolean closedByHub) {
        static Answer parse(byte[] bytes, boolean closed) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("a complete answer head in: %s", text).isPositive();
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new java.util.HashMap<>();
            Arrays.stream(lines).skip(1).forEach(line -> {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            });
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = text.substring(end + 4, Math.min(text.length(), end + 4 + length));
            String rest = text.substring(Math.min(text.length(), end + 4 + length));
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body, rest, closed);
        }

        String header(String name) {
            return headers.get(name);
        }
    }
}
