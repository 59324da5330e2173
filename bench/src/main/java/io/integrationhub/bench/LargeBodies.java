package io.integrationhub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The large-body phase (issue 15, {@code bench/run.sh --large}, also part of the full run): answers of
 * 1 MiB and 30 MiB (static files the upstream nginx serves from {@code <work>/large/}, written by
 * run.sh) downloaded by {@value #CONCURRENCY} concurrent clients that read and discard, direct, via
 * nginx as a reverse proxy, via hub {@code /proxy} and via hub {@code /call}; interleaved rounds, a
 * warm-up round excluded, medians, and the hub's ratio to nginx per round. Then the hub's memory at
 * {@value #CONCURRENCY} concurrent 30 MiB calls: RSS peak (VmHWM, reset before each target through
 * {@code /proc/<pid>/clear_refs}) and heap peak (the largest before-GC occupancy in its GC log during
 * the calls), against DESIGN §10's 400 MB and with no OutOfMemoryError.
 */
final class LargeBodies {
    static final int CONCURRENCY = 16;
    private static final long MIB = 1024 * 1024;
    private static final long RSS_LIMIT_MB = 400;
    /** The files run.sh writes into {@code <work>/large/}: random bytes, so nothing on the way can compress them. */
    static final Map<String, Long> FILES = sizes();

    /** What the phase needs from the harness: ports, the hub under test and its token, the round plan. */
    record Setup(
            Path work,
            int upstreamPort,
            int nginxPort,
            HubProcess hub,
            String token,
            int rounds,
            int seconds,
            Consumer<String> progress) {}

    private record Target(String name, String kind, String file) {}

    private final Setup setup;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<String> lines = new ArrayList<>();

    private LargeBodies(Setup setup) {
        this.setup = setup;
    }

    private static Map<String, Long> sizes() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("1m.bin", MIB);
        m.put("30m.bin", 30 * MIB);
        return m;
    }

    /** Runs the phase; returns the lines of its table, verdict included. */
    static List<String> run(Setup setup) throws Exception {
        LargeBodies phase = new LargeBodies(setup);
        phase.measure();
        return phase.lines;
    }

    private void measure() throws Exception {
        List<Target> targets = new ArrayList<>();
        for (String file : FILES.keySet()) {
            for (String kind : List.of("direct", "nginx", "hub /proxy", "hub /call")) {
                targets.add(new Target(kind + " " + file, kind, file));
            }
        }
        for (Target t : targets) {
            verifyExact(t);
        }
        // Throughput: interleaved rounds (all targets in turn), round 0 a warm-up, excluded.
        Map<String, List<Double>> mibps = new LinkedHashMap<>();
        Map<String, Long> failed = new LinkedHashMap<>();
        for (int round = 0; round <= setup.rounds(); round++) {
            for (Target t : targets) {
                Load l = load(t, Duration.ofSeconds(round == 0 ? 1 : setup.seconds()), 0);
                setup.progress()
                        .accept(String.format(
                                Locale.ROOT,
                                "large %s %-22s %8.1f MiB/s (%d downloads%s)",
                                round == 0 ? "warm-up" : "round " + round,
                                t.name(),
                                l.mibps(),
                                l.downloads(),
                                l.failed() > 0 ? ", " + l.failed() + " FAILED" : ""));
                if (round > 0) {
                    mibps.computeIfAbsent(t.name(), k -> new ArrayList<>())
                            .add(l.failed() > 0 ? Double.NaN : l.mibps());
                    failed.merge(t.name(), l.failed(), Long::sum);
                }
            }
        }
        lines.add(String.format(
                Locale.ROOT,
                "6. Large answers (issue 15): %d concurrent downloads, read and discarded by a Java client"
                        + " (java.net.http, HTTP/1.1 keep-alive); %d rounds x >= %d s per target, interleaved, 1 warm-up round excluded;"
                        + " every download's length checked, the first one's SHA-256",
                CONCURRENCY,
                setup.rounds(),
                setup.seconds()));
        lines.add(String.format(
                Locale.ROOT,
                "   %-26s %10s   %-17s   %-26s  %s",
                "",
                "MiB/s",
                "spread (min-max)",
                "hub x nginx, paired/round",
                "failed downloads"));
        for (Target t : targets) {
            List<Double> v = mibps.get(t.name());
            String ratio = "";
            if (t.kind().startsWith("hub")) {
                List<Double> r = new ArrayList<>();
                List<Double> n = mibps.get("nginx " + t.file());
                for (int i = 0; i < Math.min(v.size(), n.size()); i++) {
                    r.add(v.get(i) / n.get(i));
                }
                ratio = String.format(Locale.ROOT, "%.2f [%.2f..%.2f]", BenchMain.median(r), min(r), max(r));
            }
            lines.add(String.format(
                    Locale.ROOT,
                    "   %-26s %10.1f   %7.1f-%-9.1f   %-26s  %d",
                    t.name(),
                    BenchMain.median(v),
                    min(v),
                    max(v),
                    ratio,
                    failed.get(t.name())));
        }
        lines.add("");

        // Memory: CONCURRENCY concurrent 30 MiB calls through each hub route, each client at least 2 downloads.
        lines.add(String.format(
                Locale.ROOT,
                "   Hub memory at %d concurrent 30 MiB calls (-Xmx256m; RSS peak = VmHWM, reset before each"
                        + " target%s; heap peak = largest occupancy before a GC in the hub's GC log during the calls)",
                CONCURRENCY,
                resetPeak() ? "" : " -- RESET FAILED, so the peak since start"));
        lines.add(String.format(
                Locale.ROOT,
                "   %-26s %8s %10s %12s %6s %8s  %s",
                "",
                "RSS peak",
                "RSS before",
                "heap peak",
                "GCs",
                "MiB/s",
                "downloads (failed)"));
        boolean ok = true;
        double worstRss = 0;
        for (String kind : List.of("hub /proxy", "hub /call")) {
            Target t = new Target(kind + " 30m.bin", kind, "30m.bin");
            resetPeak();
            long rssBefore = setup.hub().rssKib()[0];
            int gcsBefore = setup.hub().gcHeapMib().size();
            Load l = load(t, Duration.ofSeconds(1), 2);
            long hwm = setup.hub().rssKib()[1];
            List<long[]> gcs = setup.hub().gcHeapMib();
            long heapPeak = gcs.subList(Math.min(gcsBefore, gcs.size()), gcs.size()).stream()
                    .mapToLong(g -> g[0])
                    .max()
                    .orElse(-1);
            double rssMb = hwm * 1024 / 1e6;
            worstRss = Math.max(worstRss, rssMb);
            ok &= l.failed() == 0 && rssMb <= RSS_LIMIT_MB;
            lines.add(String.format(
                    Locale.ROOT,
                    "   %-26s %5.0f MB %7.0f MB %8s MiB %6d %8.1f  %d (%d)",
                    t.name(),
                    rssMb,
                    rssBefore * 1024 / 1e6,
                    heapPeak < 0 ? "(no GC)" : Long.toString(heapPeak),
                    gcs.size() - gcsBefore,
                    l.mibps(),
                    l.downloads(),
                    l.failed()));
            setup.progress()
                    .accept(String.format(
                            Locale.ROOT,
                            "large memory %-14s RSS peak %.0f MB, heap peak %d MiB, %d downloads, %d failed",
                            kind,
                            rssMb,
                            heapPeak,
                            l.downloads(),
                            l.failed()));
        }
        long oom = setup.hub().logCount("OutOfMemoryError");
        boolean alive = setup.hub().rssKib()[0] > 0;
        ok &= oom == 0 && alive;
        lines.add(String.format(
                Locale.ROOT,
                "   %-52s %-44s %-22s %s",
                "hub RSS peak at " + CONCURRENCY + " concurrent 30 MiB calls",
                String.format(
                        Locale.ROOT,
                        "%.0f MB; OutOfMemoryError in log: %d; hub %s",
                        worstRss,
                        oom,
                        alive ? "alive" : "GONE"),
                "<= 400 MB, no OOM",
                ok ? "PASS" : "FAIL"));
    }

    /** Clears the hub's VmHWM (Linux 4.0+: "5" to clear_refs), so the next peak is this phase's own. */
    private boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/" + setup.hub().pid() + "/clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private record Load(double mibps, long downloads, long failed) {}

    /**
     * CONCURRENCY clients download t until the time is up (each finishes the download it is in, and
     * makes at least minEach); throughput = bytes read / wall time until the last one finished.
     */
    private Load load(Target t, Duration time, int minEach) throws Exception {
        long expected = FILES.get(t.file());
        AtomicLong bytes = new AtomicLong();
        AtomicLong downloads = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long t0 = System.nanoTime();
        long deadline = t0 + time.toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY)) {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < CONCURRENCY; c++) {
                all.add(pool.submit(() -> {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n = 0; n < minEach || System.nanoTime() < deadline; n++) {
                        long got = download(t, buffer, null);
                        bytes.addAndGet(Math.max(0, got));
                        downloads.incrementAndGet();
                        if (got != expected) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(10, TimeUnit.MINUTES);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Load(bytes.get() / (double) MIB / seconds, downloads.get(), failed.get());
    }

    /** One download read to its end; returns the bytes of a 200 answer, or -1 (non-200 or I/O error). */
    private long download(Target t, byte[] buffer, MessageDigest digest) {
        try {
            HttpResponse<InputStream> r = client.send(request(t), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                long total = 0;
                int n;
                while ((n = in.read(buffer)) != -1) {
                    total += n;
                    if (digest != null) {
                        digest.update(buffer, 0, n);
                    }
                }
                return r.statusCode() == 200 ? total : -1;
            }
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpRequest request(Target t) {
        String path = "/large/" + t.file();
        HttpRequest.Builder b = switch (t.kind()) {
            case "direct" -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + setup.upstreamPort() + path));
            case "nginx" -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + setup.nginxPort() + path));
            case "hub /proxy" ->
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + setup.hub().port() + "/api/v1/integrations/proxy/bench" + path))
                        .header("Authorization", "Bearer " + setup.token());
            case "hub /call" ->
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + setup.hub().port() + "/api/v1/integrations/call"))
                        .header("Authorization", "Bearer " + setup.token())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"provider\":\"bench\",\"method\":\"GET\",\"path\":\"" + path + "\"}"));
            default -> throw new IllegalArgumentException(t.kind());
        };
        return b.timeout(Duration.ofMinutes(5)).build();
    }

    /** Before measuring: one download of each target arrives byte for byte as the file on disk. */
    private void verifyExact(Target t) throws IOException, NoSuchAlgorithmException {
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        long n = download(t, new byte[64 * 1024], got);
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(setup.work().resolve("large").resolve(t.file()))));
        String actual = HexFormat.of().formatHex(got.digest());
        if (n != FILES.get(t.file()) || !actual.equals(expected)) {
            throw new IllegalStateException(t.name() + ": " + n + " bytes, SHA-256 " + actual + " instead of "
                    + FILES.get(t.file()) + " bytes, " + expected);
        }
        setup.progress().accept(String.format(Locale.ROOT, "checked %-22s %d bytes, SHA-256 as the file", t.name(), n));
    }

    private static double min(List<Double> v) {
        return v.stream()
                .mapToDouble(Double::doubleValue)
                .filter(d -> !Double.isNaN(d))
                .min()
                .orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream()
                .mapToDouble(Double::doubleValue)
                .filter(d -> !Double.isNaN(d))
                .max()
                .orElse(Double.NaN);
    }
}
