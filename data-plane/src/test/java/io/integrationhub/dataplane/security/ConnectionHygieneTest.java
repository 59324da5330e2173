package io.integrationhub.dataplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.dataplane.TestHub;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Connection hygiene: a client trickling its headers (REST and management ports) or keeping an idle
 * keep-alive connection is disconnected; a listener holds at most so many connections. Each check waits for the hub to close a socket (a blocking read,
 * bounded by a generous socket timeout), never sleeps.
 */
@Tag("hub")
class ConnectionHygieneTest {
    /** Far above the configured limits: a read that takes this long means the hub never closed the connection. */
    private static final int NEVER_MS = 8_000;

    @Test
    void slowHeadersAndIdleKeepAliveConnectionsAreClosedOnEveryListener() throws Exception {
        try (TestHub hub =
                TestHub.start(Map.of("INTEGRATION_HEADER_TIMEOUT", "500ms", "INTEGRATION_IDLE_TIMEOUT", "1s"))) {
            for (int port : List.of(hub.hub().port(), hub.hub().managementPort())) {
                try (Socket slow = connect(port)) {
                    long started = System.nanoTime();
                    send(slow, "GET /health/live HTTP/1.1\r\nHost: hub\r\nX-Slow: a"); // then a byte now and then
                    trickle(slow, 6, Duration.ofMillis(300));
                    Duration closedAfter = untilClosed(slow).compareTo(Duration.ofMillis(NEVER_MS)) < 0
                            ? Duration.ofNanos(System.nanoTime() - started)
                            : Duration.ofMillis(NEVER_MS);
                    System.out.println(
                            "port " + port + ": half-sent headers closed after " + closedAfter.toMillis() + " ms");
                    assertThat(closedAfter).as("port " + port).isLessThan(Duration.ofMillis(NEVER_MS));
                }
            }
            for (int port : List.of(hub.hub().port(), hub.hub().managementPort())) {
                try (Socket idle = connect(port)) {
                    send(idle, "GET /health/live HTTP/1.1\r\nHost: hub\r\n\r\n");
                    String answer = readAnswerHead(idle.getInputStream());
                    assertThat(answer).startsWith("HTTP/1.1 200");
                    Duration closedAfter = untilClosed(idle);
                    System.out.println("port " + port + ": idle keep-alive connection closed after "
                            + closedAfter.toMillis() + " ms");
                    assertThat(closedAfter).as("port " + port).isLessThan(Duration.ofMillis(NEVER_MS));
                }
            }
        }
    }

    @Test
    void aListenerHoldsAtMostTheConfiguredNumberOfConnections() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("INTEGRATION_MAX_CONNECTIONS", "3"))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket socket = connect(hub.hub().port());
                    send(socket, "GET /health/live HTTP/1.1\r\nHost: hub\r\n\r\n");
                    assertThat(readAnswerHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
                    held.add(socket);
                }
                try (Socket fourth = connect(hub.hub().port())) {
                    fourth.setSoTimeout(2_000);
                    send(fourth, "GET /health/live HTTP/1.1\r\nHost: hub\r\n\r\n");
                    String answer;
                    try {
                        answer = readAnswerHead(fourth.getInputStream());
                    } catch (SocketTimeoutException | SocketException refused) {
                        answer = "";
                    }
                    assertThat(answer)
                            .as("a fourth connection is not served while three are open")
                            .doesNotStartWith("HTTP/1.1 200");
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(NEVER_MS);
        return socket;
    }

    /**
     * Sends one more header byte per interval, as a slow-loris client does; a blocking read with a
     * socket timeout paces it (the hub says nothing meanwhile), so no sleep is needed.
     */
    private static void trickle(Socket socket, int bytes, Duration interval) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout((int) interval.toMillis());
        try {
            for (int i = 0; i < bytes; i++) {
                try {
                    if (socket.getInputStream().read() < 0) {
                        return; // already closed by the hub
                    }
                } catch (SocketTimeoutException paced) {
                    // the interval went by
                }
                send(socket, "a");
            }
        } catch (SocketException closed) {
            // closed by the hub while trickling
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads until the hub closes the connection (EOF or reset); how long that took. */
    private static Duration untilClosed(Socket socket) throws IOException {
        long started = System.nanoTime();
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // drain whatever the hub says before closing (e.g. a 408 or 400)
            }
        } catch (SocketTimeoutException stillOpen) {
            return Duration.ofMillis(NEVER_MS);
        } catch (SocketException reset) {
            // closed by the hub with a reset
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static String readAnswerHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)")
                .matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.toString();
    }
}
