package io.integrationhub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A data plane JVM started by the harness: launched with {@code java -jar}, timed from launch to the
 * first 200 of {@code /health/ready}, and read from {@code /proc} (RSS, CPU) and its GC log (heap).
 */
public final class HubProcess implements AutoCloseable {
    static final int START_TIMEOUT_SECONDS = 180;
    private static final Pattern STARTED = Pattern.compile("started in (\\d+) ms");
    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)(?: (\\d+\\.\\d+)ms)?");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String label;
    private final Process process;
    private final int port;
    private final Path log;
    private final Path gcLog;
    private final Duration startup;

    private HubProcess(String label, Process process, int port, Path log, Path gcLog, Duration startup) {
        this.label = label;
        this.process = process;
        this.port = port;
        this.log = log;
        this.gcLog = gcLog;
        this.startup = startup;
    }

    /**
     * Starts the hub and waits (at most {@link #START_TIMEOUT_SECONDS}) until it is ready: a hub starts in about
     * 2 s on a quiet machine, but took 50 s on the shared 2 cores at a load average of 20.
     */
    public static HubProcess start(
            String label, Path jar, List<String> jvmArgs, Map<String, String> env, int port, Path workDir)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = workDir.resolve(label + ".log");
        Path gcLog = workDir.resolve(label + "-gc.log");
        Files.deleteIfExists(gcLog);
        List<String> cmd = new ArrayList<>(
                List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xms64m", "-Xmx256m", "-Xlog:gc:file=" + gcLog));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("INTEGRATION_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
        long deadline = t0 + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (true) {
            if (!p.isAlive()) {
                throw new IOException(label + " exited with " + p.exitValue() + " before it was ready; see " + log
                        + ":\n" + tail(log));
            }
            try {
                HttpResponse<Void> r = HTTP.send(
                        HttpRequest.newBuilder(ready)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException(label + " not ready within " + START_TIMEOUT_SECONDS + " s; see " + log);
            }
            Thread.sleep(5);
        }
        return new HubProcess(label, p, port, log, gcLog, Duration.ofNanos(System.nanoTime() - t0));
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** From launching the JVM to the first 200 of /health/ready. */
    public Duration startup() {
        return startup;
    }

    /** What the hub says of itself ("started in N ms": from reading settings to listening), or -1. */
    public long internalStartupMillis() {
        try {
            Matcher m = STARTED.matcher(Files.readString(log));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** How many lines of the hub's log contain this text. */
    public long logCount(String text) {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** User + system CPU time of the process so far, in milliseconds. */
    public long cpuMillis() {
        return ProcessCpu.millis(process.pid());
    }

    /** VmRSS and VmHWM (peak) in KiB. */
    public long[] rssKib() {
        long rss = -1;
        long hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return new long[] {rss, hwm};
    }

    /** From the GC log: {peak heap used before a GC, last heap used after a GC, peak committed, GC count}, MiB. */
    public long[] heapMib() {
        long peakUsed = 0;
        long lastAfter = 0;
        long peakCommitted = 0;
        List<long[]> gcs = gcHeapMib();
        for (long[] gc : gcs) {
            peakUsed = Math.max(peakUsed, gc[0]);
            lastAfter = gc[1];
            peakCommitted = Math.max(peakCommitted, gc[2]);
        }
        return new long[] {peakUsed, lastAfter, peakCommitted, gcs.size()};
    }

    /** Every pause in the GC log so far, in order: {heap used before, used after, committed}, MiB. */
    public List<long[]> gcHeapMib() {
        List<long[]> gcs = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC_HEAP.matcher(line);
                if (m.find()) {
                    gcs.add(new long[] {
                        Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))
                    });
                }
            }
        } catch (IOException e) {
            // no log
        }
        return gcs;
    }

    /** The sum of the pauses in the GC log so far (young, mixed, full, remark, cleanup), in milliseconds. */
    public double gcPauseMillis() {
        double total = 0;
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC_HEAP.matcher(line);
                if (m.find() && m.group(4) != null) {
                    total += Double.parseDouble(m.group(4));
                }
            }
        } catch (IOException e) {
            // no log
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return label + "(pid " + process.pid() + ", port " + port + ")";
    }
}
