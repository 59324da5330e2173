package io.integrationhub.dataplane;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker of this test's own (KRaft, broker + controller in one process, on free 127.0.0.1
 * ports, data in a temporary directory, settings from {@code scripts/kafka/broker.properties} like
 * the shared broker's) that the test may really stop and start again. Kafka
 * clients follow the advertised address, so a TCP proxy in front of the shared broker could not cut
 * them; the shared broker on 9092 is never touched. The jars are the ones {@code scripts/services.sh
 * up} fetched into {@code .hub/kafka/lib} (or {@code HUB_KAFKA_LIB}).
 */
public final class PrivateKafka implements AutoCloseable {
    /** The broker settings this shares with scripts/services.sh's broker, with placeholders. */
    private static final String BROKER_TEMPLATE = "scripts/kafka/broker.properties";

    private final Path lib;
    private final Path dir;
    private final Path properties;
    private final int port;
    private int starts;
    private Process process;

    private PrivateKafka(Path lib, Path dir, int port, int controllerPort) throws IOException {
        this.lib = lib;
        this.dir = dir;
        this.port = port;
        this.properties = dir.resolve("server.properties");
        String template = Files.readString(locateRepoFile(BROKER_TEMPLATE));
        String text = template.replace("@HOST@", "127.0.0.1")
                .replace("@PORT@", Integer.toString(port))
                .replace("@CONTROLLER_PORT@", Integer.toString(controllerPort))
                .replace("@DATA_DIR@", dir.resolve("data").toString())
                .replace("@PARTITIONS@", "3")
                .replace("@AUTO_CREATE_TOPICS@", "false")
                .replace("@OFFSETS_PARTITIONS@", "3"); // fewer than Kafka's 50: a private broker starts faster
        if (text.lines().anyMatch(line -> !line.startsWith("#") && line.matches(".*@[A-Z_]+@.*"))) {
            throw new IllegalStateException(BROKER_TEMPLATE + " has a placeholder PrivateKafka does not fill");
        }
        Files.writeString(properties, text);
    }

    /** Formats a fresh data directory and starts the broker. */
    public static PrivateKafka start() {
        try {
            Path lib = locateLib();
            PrivateKafka kafka =
                    new PrivateKafka(lib, Files.createTempDirectory("hub-test-kafka-"), freePort(), freePort());
            kafka.format();
            kafka.startBroker();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    private void format() throws IOException {
        Process format = new ProcessBuilder(
                        java(),
                        "-cp",
                        lib + "/*",
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("format.log").toFile())
                .start();
        try {
            if (!format.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException(
                        "formatting the private Kafka failed: " + Files.readString(dir.resolve("format.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the broker (again, on the same ports and data) and waits until it serves. */
    public synchronized void startBroker() throws IOException {
        Path log = dir.resolve("broker-" + (++starts) + ".log");
        process = new ProcessBuilder(
                        java(),
                        "-Xms64m",
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        lib + "/*",
                        "kafka.Kafka",
                        properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Process started = process;
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("the private Kafka exited: " + Files.readString(log));
                    }
                    return Files.readString(log).contains("Kafka Server started");
                });
    }

    /** Stops the broker process for real (SIGTERM, as an orderly shutdown). */
    public synchronized void stopBroker() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stopBroker();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary directory; the OS cleans it eventually
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A file of this repository, found from the working directory up (Maven runs tests in the module's). */
    private static Path locateRepoFile(String relative) {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isRegularFile(at.resolve(relative))) {
                return at.resolve(relative);
            }
        }
        throw new IllegalStateException(
                relative + " was not found above " + Path.of("").toAbsolutePath());
    }

    private static Path locateLib() {
        String configured = System.getenv("HUB_KAFKA_LIB");
        List<Path> candidates = new java.util.ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            candidates.add(at.resolve(".hub/kafka/lib"));
        }
        for (Path candidate : candidates) {
            try (Stream<Path> jars = Files.isDirectory(candidate) ? Files.list(candidate) : Stream.empty()) {
                if (jars.anyMatch(jar -> jar.getFileName().toString().startsWith("kafka_2.13-"))) {
                    return candidate;
                }
            } catch (IOException e) {
                // try the next one
            }
        }
        throw new IllegalStateException(
                "Kafka's jars were not found in .hub/kafka/lib (or HUB_KAFKA_LIB); run scripts/services.sh up");
    }
}
