package io.integrationhub.dataplane;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A redis-server of the test's own on a free port, which the test may stop and start at will (the
 * machine's shared one is never touched).
 */
public final class PrivateRedis implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    public PrivateRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            this.port = socket.getLocalPort();
        }
        this.dir = Files.createTempDirectory("private-redis");
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public PrivateRedis start() throws IOException {
        process = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException notYet) {
                sleep();
            }
        }
        throw new IllegalStateException("private redis-server did not start on port " + port);
    }

    /** How many times {@code command} ran so far (INFO commandstats): this server's counts are the test's own. */
    public long calls(String command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream()
                    .write("INFO commandstats\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                header.append((char) c);
            }
            int length = Integer.parseInt(header.toString().trim().substring(1)); // a bulk string: $<length>
            String info = new String(in.readNBytes(length), java.nio.charset.StandardCharsets.US_ASCII);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
                    .matcher(info);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }

    /** Stops it for real (the process ends), as an outage would. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
