package io.integrationhub.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.auth.TokenIssuer;
import io.integrationhub.registry.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hub started as README command 1 starts it (the packaged jar, standalone, its own JVM with
 * {@code -Xmx256m}) under the loads that used to exhaust its heap: 16 concurrent 30 MiB downloads
 * through {@code /proxy}, 8 through {@code /call}, 16 concurrent 8 MiB uploads. Every byte must
 * arrive exactly, the process must not run out of memory (it is started with
 * {@code -XX:+ExitOnOutOfMemoryError}, as the chart runs it), and its peak RSS (the kernel's
 * high-water mark) must stay within 400 MB. Heap peaks are read from its GC log.
 */
class BoundedMemoryIT {
    private static final long MIB = 1024 * 1024;
    private static final long DOWNLOAD = 30 * MIB;
    private static final int UPLOAD = (int) (8 * MIB);
    private static final long RSS_LIMIT_BYTES = 400L * 1000 * 1000;
    private static final String SECRET = "bounded-memory-it-secret-of-32-bytes!!";
    private static final Path JAR =
            Path.of("target/data-plane-0.1.0-SNAPSHOT.jar").toAbsolutePath();

    /** Under target/, so the hub's log and GC log stay for a look after a failure. */
    private static Path state;

    private static Process hub;
    private static StreamingProvider provider;
    private static URI base;
    private static String token;
    private static Path gcLog;
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();

    @BeforeAll
    static void start() throws Exception {
        provider = new StreamingProvider();
        state = Files.createDirectories(Path.of("target/bounded-memory-it")).toAbsolutePath();
        int port = freePort();
        gcLog = state.resolve("gc.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xms64m",
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Xlog:gc:file=" + gcLog));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(state.resolve("hub.log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("INTEGRATION_"));
        env.put("INTEGRATION_MODE", "standalone");
        env.put(
                "INTEGRATION_STATE_DIR",
                Files.createTempDirectory("bounded-memory-it").toString());
        env.put("INTEGRATION_HTTP_PORT", Integer.toString(port));
        env.put("INTEGRATION_GRPC_PORT", Integer.toString(freePort()));
        // Not the default 9464: a hub the developer runs beside the build must not fail this test.
        env.put("INTEGRATION_MANAGEMENT_PORT", "0");
        env.put("INTEGRATION_JWT_SECRET", SECRET);
        env.put("INTEGRATION_ALLOW_INSECURE_HTTP", "true");
        hub = builder.start();
        base = URI.create("http://127.0.0.1:" + port);
        token = new TokenIssuer(SECRET).issue("it", "bulk", Duration.ofMinutes(30), Scope.values());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            assertThat(hub.isAlive())
                    .as("the hub exited while starting:\n" + log())
                    .isTrue();
            try {
                if (CLIENT.send(
                                        HttpRequest.newBuilder(base.resolve("/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // still starting
            }
            assertThat(System.nanoTime())
                    .as("the hub did not become ready:\n" + log())
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
        HttpResponse<String> created = CLIENT.send(
                HttpRequest.newBuilder(base.resolve("/api/v1/integrations/providers"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Providers.local(
                                "files",
                                provider.port(),
                                "{\"type\":\"none\"}",
                                // Memory is what is measured here: a provider slowed by the shared machine must not
                                // time out.
                                "\"timeoutMs\": 30000")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.destroy();
            hub.waitFor(30, TimeUnit.SECONDS);
        }
        provider.close();
    }

    @Test
    void concurrentLargeDownloadsAndUploadsPassExactlyWithinBoundedMemory() throws Exception {
        long idleRss = statusBytes("VmRSS");
        List<Callable<String>> proxied = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            proxied.add(() ->
                    download(HttpRequest.newBuilder(base.resolve("/api/v1/integrations/proxy/files/bytes/" + DOWNLOAD))
                            .header("Authorization", "Bearer " + token)
                            .build()));
        }
        all("16 concurrent 30 MiB downloads through /proxy", proxied);
        long rssAfterProxy = statusBytes("VmHWM");

        List<Callable<String>> enveloped = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            enveloped.add(() -> download(HttpRequest.newBuilder(base.resolve("/api/v1/integrations/call"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"provider\":\"files\",\"method\":\"GET\",\"path\":\"/bytes/" + DOWNLOAD + "\"}"))
                    .build()));
        }
        all("8 concurrent 30 MiB downloads through /call", enveloped);

        List<Callable<String>> uploads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            uploads.add(upload(i));
        }
        all("16 concurrent 8 MiB uploads through /proxy", uploads);

        assertThat(hub.isAlive())
                .as("the hub is still running (no OutOfMemoryError):\n" + log())
                .isTrue();
        assertThat(log()).doesNotContain("OutOfMemoryError");
        long rssPeak = statusBytes("VmHWM");
        long heapPeak = heapPeakFromGcLog();
        System.out.println(
                "[counts] bounded-memory: 16x30MiB /proxy, 8x30MiB /call, 16x8MiB uploads, all exact; hub RSS peak "
                        + rssAfterProxy / 1_000_000 + " MB during the 16 downloads, " + rssPeak / 1_000_000
                        + " MB overall (limit 400; "
                        + idleRss / 1_000_000 + " MB before), heap peak " + heapPeak / MIB + " MiB (-Xmx256m)");
        assertThat(rssAfterProxy)
                .as("peak RSS of the hub at 16 concurrent 30 MiB calls")
                .isLessThanOrEqualTo(RSS_LIMIT_BYTES);
        assertThat(rssPeak).as("peak RSS of the hub").isLessThanOrEqualTo(RSS_LIMIT_BYTES);
        assertThat(heapPeak).as("peak heap of the hub").isLessThanOrEqualTo(256 * MIB);
    }

    private static void all(String what, List<Callable<String>> calls) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (Callable<String> call : calls) {
                results.add(pool.submit(call));
            }
            for (Future<String> result : results) {
                assertThat(result.get(10, TimeUnit.MINUTES)).as(what).isEqualTo("ok");
            }
        }
    }

    /** Reads an answer to its end, checking each byte against the provider's pattern as it streams. */
    private static String download(HttpRequest request) throws Exception {
        HttpResponse<InputStream> answer = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = answer.body()) {
            if (answer.statusCode() != 200) {
                return "status " + answer.statusCode() + ": " + new String(in.readNBytes(2000), StandardCharsets.UTF_8);
            }
            byte[] buffer = new byte[64 * 1024];
            long at = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (!StreamingProvider.matchesPattern(buffer, n, at)) {
                    return "bytes from " + at + " differ";
                }
                at += n;
            }
            return at == DOWNLOAD ? "ok" : "got " + at + " of " + DOWNLOAD + " bytes";
        }
    }

    private static Callable<String> upload(int seed) {
        return () -> {
            byte[] body = new byte[UPLOAD];
            new java.util.Random(seed).nextBytes(body);
            String expected = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            HttpResponse<String> answer = CLIENT.send(
                    HttpRequest.newBuilder(base.resolve("/api/v1/integrations/proxy/files/upload"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return "upload status " + answer.statusCode() + ": " + answer.body();
            }
            JsonNode received = Json.mapper().readTree(answer.body());
            return received.path("received").asLong() == UPLOAD
                            && received.path("sha256").asText().equals(expected)
                    ? "ok"
                    : "upload arrived changed: " + answer.body();
        };
    }

    private static long statusBytes(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + hub.pid() + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError(field + " not in /proc/" + hub.pid() + "/status");
    }

    /** The largest heap occupancy before a collection, from lines such as "Pause Young ... 120M->30M(256M)". */
    private static long heapPeakFromGcLog() throws IOException {
        Matcher matcher = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(gcLog));
        long peak = 0;
        while (matcher.find()) {
            peak = Math.max(peak, Long.parseLong(matcher.group(1)));
        }
        assertThat(peak).as("the GC log has collections").isPositive();
        return peak * MIB;
    }

    private static String log() {
        try {
            String text = Files.readString(state.resolve("hub.log"));
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
