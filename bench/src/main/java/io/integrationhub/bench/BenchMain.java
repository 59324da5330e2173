package io.integrationhub.bench;

import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.auth.TokenIssuer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load harness behind {@code bench/run.sh}: starts the hub (and, with {@code --compare-jar}, a
 * second build of it side by side), then measures, in ONE run and in interleaved rounds (A, B, C,
 * A, B, C, ...; a warm-up round first, excluded; medians over rounds):
 * <ol>
 *   <li>closed-loop throughput at a fixed concurrency (wrk): direct, via nginx, via hub /call and /proxy;</li>
 *   <li>latency at a fixed offered rate (half the hub's peak) with the coordinated-omission-free
 *       {@link OpenLoop} generator, and the hub's added latency over direct (paired per round);</li>
 *   <li>fast rejection: a 503 (circuit open) and a 429 (rate limited), and the upstream calls they made;</li>
 *   <li>hub RSS and heap after the run, start-up time to ready (this hub, and standalone with a warm cache);</li>
 *   <li>Valkey commands per call (INFO commandstats around each hub round).</li>
 * </ol>
 * nginx (upstream and reverse proxy) and a private redis-server are started by run.sh and passed in.
 */
public final class BenchMain {
    private static final String TENANT = "bench";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One hub under test and its targets. */
    private record Hub(
            String label,
            HubProcess process,
            String token,
            int redisPort,
            String database,
            HttpTarget call,
            HttpTarget proxy,
            HttpTarget keyed,
            HttpTarget fair,
            boolean fairRules,
            List<String> jvmArgs) {}

    /**
     * A product a team would deploy instead of the hub (bench/run.sh --peers DIR): started by run.sh
     * with the peers' own scripts, measured as one more target; pid for its CPU per call.
     */
    private record Peer(HttpTarget target, long pid, boolean usesRedis) {}

    /** jitSeconds: wrk load on each hub target before anything is measured, so C2 has compiled the hot path. */
    private record Plan(int jitSeconds, int warmSeconds, int rounds, int seconds, int standaloneStarts) {
        static Plan of(String mode) {
            return switch (mode) {
                case "quick" -> new Plan(3, 1, 2, 2, 1);
                case "keyed" -> new Plan(5, 2, 3, 5, 0); // throughput of /call keyed and unkeyed only
                case "fair" -> new Plan(5, 2, 4, 5, 0); // throughput of /proxy with and without fair-share rules
                case "profile" -> new Plan(8, 5, 1, 20, 0);
                case "tail" -> new Plan(8, 0, 1, 20, 0);
                case "hold" ->
                    new Plan(8, 3, 3, 4, 0); // warm-up round, rounds x seconds: the peak measured before the hold
                default -> new Plan(8, 3, 5, 4, 3);
            };
        }
    }

    private final Map<String, String> opt;
    private final Path work;
    private final Plan plan;
    private final PrintStream out = System.out;
    private final StringBuilder report = new StringBuilder();
    /** Key figures for the verdicts against DESIGN §10. */
    private final Map<String, Double> fig = new LinkedHashMap<>();

    private BenchMain(Map<String, String> opt) {
        this.opt = opt;
        this.work = Path.of(opt.getOrDefault("work", "bench/target/bench-work")).toAbsolutePath();
        String mode = opt.getOrDefault("mode", "full");
        Plan p = Plan.of(mode);
        this.plan = new Plan(
                intOpt("jit", p.jitSeconds()),
                intOpt("warm", p.warmSeconds()),
                intOpt("rounds", p.rounds()),
                intOpt("seconds", p.seconds()),
                intOpt("standalone-starts", p.standaloneStarts()));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            String value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true";
            opt.put(key, value);
        }
        new BenchMain(opt).run();
    }

    private int intOpt(String key, int fallback) {
        return opt.containsKey(key) ? Integer.parseInt(opt.get(key)) : fallback;
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        String mode = opt.getOrDefault("mode", "full");
        int upstreamPort = Integer.parseInt(opt.get("upstream-port"));
        int nginxPort = Integer.parseInt(opt.get("nginx-port"));
        int redisPort = Integer.parseInt(opt.get("redis-port"));
        int connections = intOpt("connections", 32);
        String loadAtStart = loadAverage();
        LocalDateTime startedAt = LocalDateTime.now();

        HttpTarget direct = HttpTarget.get("direct", upstreamPort, "/payload.json", Map.of(), 200);
        HttpTarget viaNginx = HttpTarget.get("nginx", nginxPort, "/payload.json", Map.of(), 200);
        List<Peer> peers = peers();

        List<Hub> hubs = new ArrayList<>();
        int rateUsed = 0;
        List<String> large = List.of();
        try {
            hubs.add(startHub(
                    "hub",
                    Path.of(opt.get("hub-jar")),
                    "hub_bench",
                    "bench:",
                    redisPort,
                    upstreamPort,
                    switch (mode) {
                        case "tail" -> List.of("-Xlog:safepoint:file=" + work.resolve("hub-safepoint.log") + ":time");
                        default -> List.of();
                    }));
            if (opt.containsKey("compare-jar") && !mode.equals("hold")) {
                String[] jars = opt.get("compare-jar").split(",");
                String[] labels = opt.getOrDefault("compare-label", "before").split(",");
                if (java.util.Set.of(labels).size()
                        < labels.length) { // the same build twice, e.g. with other JVM options
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = labels[i] + "-" + (i + 1);
                    }
                }
                // --compare-jvm "A|B|...": extra JVM options per compared hub (same order), e.g. to weigh GC settings.
                String[] jvm = opt.getOrDefault("compare-jvm", "").split("\\|", -1);
                for (int i = 0; i < jars.length; i++) {
                    List<String> extra = i < jvm.length && !jvm[i].isBlank()
                            ? List.of(jvm[i].trim().split("\\s+"))
                            : List.of();
                    hubs.add(startHub(
                            labels[i],
                            Path.of(jars[i]),
                            "hub_bench_" + (char) ('b' + i),
                            "bench" + (char) ('b' + i) + ":",
                            redisPort,
                            upstreamPort,
                            extra));
                }
            }
            Hub main = hubs.get(0);
            HttpTarget open = HttpTarget.post(
                    "503 open",
                    main.process().port(),
                    "/api/v1/integrations/call",
                    Map.of("Authorization", "Bearer " + main.token()),
                    "{\"provider\":\"bench-open\",\"method\":\"GET\",\"path\":\"/fail.json\"}",
                    503);
            HttpTarget limited = HttpTarget.post(
                    "429 limited",
                    main.process().port(),
                    "/api/v1/integrations/call",
                    Map.of("Authorization", "Bearer " + main.token()),
                    "{\"provider\":\"bench-limited\",\"method\":\"GET\",\"path\":\"/limited.json\"}",
                    429);

            List<HttpTarget> loadTargets = new ArrayList<>(List.of(direct, viaNginx));
            peers.forEach(peer -> loadTargets.add(peer.target()));
            for (Hub h : hubs) {
                if (!mode.equals("fair")) {
                    loadTargets.add(h.call());
                }
                if (!mode.equals("keyed")) {
                    loadTargets.add(h.proxy());
                }
                if (mode.equals("fair")) {
                    loadTargets.add(h.fair());
                }
            }
            for (HttpTarget t : loadTargets) {
                check(t);
            }
            for (Hub h : hubs) {
                check(h.keyed());
            }
            // Opened just before its check: a Valkey time-out in between (an overloaded machine) decides the
            // failing call in-process, and the shared breaker state stays closed.
            openBreaker(main);
            check(open);

            if (mode.equals("profile")) {
                profile(main, connections);
            } else if (mode.equals("tail")) {
                tail(main, List.of(direct, main.proxy(), main.call(), open), connections);
            } else if (mode.equals("hold")) {
                hold(main, connections, startedAt, loadAtStart);
            } else if (mode.equals("large")) {
                line(
                        "Integration Hub bench, %s, mode large, commit %s; load average at start %s (a shared machine: read the"
                                + " same-run ratios, not the absolutes)",
                        startedAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
                        opt.getOrDefault("commit", "?"),
                        loadAtStart);
                line("");
                largeBodies(main).forEach(l -> line("%s", l));
            } else {
                rateUsed = measure(
                        hubs, peers, direct, viaNginx, open, limited, loadTargets, connections, startedAt, loadAtStart);
                if (mode.equals("full")) {
                    large = largeBodies(main);
                }
            }
        } finally {
            for (Hub h : hubs) {
                h.process().close();
            }
        }
        if (mode.equals("tail")) {
            return;
        }
        if (mode.equals("hold") || mode.equals("large") || mode.equals("keyed") || mode.equals("fair")) {
            line("");
            line("load average at end %s", loadAverage());
            out.println();
            out.println(report);
            writeResults(report.toString(), startedAt);
            return;
        }
        if (mode.equals("profile")) {
            Path jfr = work.resolve("hub.jfr");
            Path summary = work.resolve(
                    "profile-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".txt");
            try (PrintStream p = new PrintStream(Files.newOutputStream(summary), true, StandardCharsets.UTF_8)) {
                JfrSummary.summarize(jfr, 30, p);
            }
            out.println(Files.readString(summary));
            out.println("JFR recording: " + jfr + "; summary: " + summary);
            return;
        }
        List<Long> standalone = standaloneStartups();
        if (!standalone.isEmpty()) {
            double startup = median(standalone.stream().map(Long::doubleValue).toList());
            line(
                    "   start-up to ready, standalone (embedded Postgres, warm cache): median %.0f ms of %s",
                    startup, standalone);
            fig.put("startup standalone ms", startup);
        }
        line("");
        verdicts(rateUsed);
        line("");
        large.forEach(l -> line("%s", l));
        if (!large.isEmpty()) {
            line("");
        }
        line("load average at end %s", loadAverage());
        String table = report.toString();
        out.println();
        out.println(table);
        writeResults(table, startedAt);
    }

    /** Phases 1-4 (the standalone start-ups come after the hubs are stopped); returns the offered rate used. */
    private int measure(
            List<Hub> hubs,
            List<Peer> peers,
            HttpTarget direct,
            HttpTarget viaNginx,
            HttpTarget open,
            HttpTarget limited,
            List<HttpTarget> loadTargets,
            int connections,
            LocalDateTime startedAt,
            String loadAtStart)
            throws Exception {
        String mode = opt.getOrDefault("mode", "full");
        Hub main = hubs.get(0);
        int rateUsed;

        line(
                "Integration Hub bench, %s, mode %s, commit %s",
                startedAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
                mode,
                opt.getOrDefault("commit", "?"));
        line(
                "machine: %d cores, %s; load average at start %s",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                loadAtStart);
        line(
                "hub: -Xms64m -Xmx256m %s(as scripts/run), production mode, registry in PostgreSQL %s, Redis :%s; shared breaker +"
                        + " limiter on (limit 100000/s); provider auth bearer; no idempotency key but on /call keyed (a new one per call,"
                        + " wrk only)",
                String.join(" ", hubJvmArgs()) + (hubJvmArgs().isEmpty() ? "" : " "), pgUrl(""), opt.get("redis-port"));
        line(
                "rounds: JIT warm-up (%d s of wrk per hub target) and 1 warm-up round (%d s per target), both excluded; then %d rounds"
                        + " x %d s per target, interleaved; medians over rounds",
                plan.jitSeconds(), plan.warmSeconds(), plan.rounds(), plan.seconds());
        line("");

        long degradedBefore = main.process().logCount("Valkey unreachable");
        // 1. Throughput. The keyed path here only: the open-loop generator sends one fixed request.
        List<HttpTarget> throughputTargets = new ArrayList<>(loadTargets);
        if (!mode.equals("fair")) {
            for (Hub h : hubs) {
                throughputTargets.add(throughputTargets.indexOf(h.call()) + 1, h.keyed());
            }
        }
        Wrk wrk = new Wrk(work, 1, connections);
        for (HttpTarget t : throughputTargets) {
            if (hubOf(hubs, t) != null && plan.jitSeconds() > 0) {
                progress(
                        "JIT warm-up %-14s %9.0f req/s",
                        t.name(),
                        wrk.run(t, Duration.ofSeconds(plan.jitSeconds())).rps());
            }
        }
        for (Peer peer : peers) {
            // SCG served 42 req/s in its first 10 s of load and levelled off after 60-90 s (peers README).
            int seconds = intOpt("peer-jit", mode.equals("quick") ? 15 : peer.usesRedis() ? 90 : plan.jitSeconds());
            progress(
                    "JIT warm-up %-14s %9.0f req/s (%d s)",
                    peer.target().name(),
                    wrk.run(peer.target(), Duration.ofSeconds(seconds)).rps(),
                    seconds);
        }
        Map<String, List<Double>> rps = new LinkedHashMap<>();
        Map<String, Integer> disrupted = new LinkedHashMap<>();
        Map<String, List<Double>> cpuPerCall = new LinkedHashMap<>();
        Map<String, List<Map<String, Long>>> valkey = new LinkedHashMap<>();
        Map<String, List<Double>> pgPerCall = new LinkedHashMap<>();
        Map<String, List<Double>> commitsPerCall = new LinkedHashMap<>();
        PgStatements pg = new PgStatements(
                pgUrl("postgres"), opt.getOrDefault("pg-user", "hub"), opt.getOrDefault("pg-password", "hub"));
        for (int round = 0; round <= plan.rounds(); round++) {
            boolean warm = round == 0;
            // Every other round in reverse order: a target's place in the round (what ran just before it,
            // how warm the machine is) must not pass for a difference between targets.
            List<HttpTarget> order = round % 2 == 0 ? throughputTargets : throughputTargets.reversed();
            for (HttpTarget t : order) {
                Hub hub = hubOf(hubs, t);
                Peer peer = peerOf(peers, t);
                long cpu0 = cpuMillis(hub, peer);
                boolean countsRedis = hub != null || peer != null && peer.usesRedis();
                Map<String, Long> redis0 = countsRedis ? new RedisStats(redisPort(hub)).snapshot() : null;
                long pg0 = hub == null ? -1 : pg.executed(hub.database());
                long commits0 = hub == null ? -1 : pg.commits(hub.database());
                Wrk.Result r = wrk.run(t, Duration.ofSeconds(warm ? plan.warmSeconds() : plan.seconds()));
                progress(
                        "throughput %s %-14s %9.0f req/s%s",
                        warm ? "warm-up" : "round " + round,
                        t.name(),
                        r.rps(),
                        r.errors() > 0 ? ", " + r.errors() + " ERRORS (round excluded)" : "");
                if (warm) {
                    continue;
                }
                if (r.errors() > 0) {
                    // Not a figure: e.g. the shared PostgreSQL restarted under the hub. Said in the table.
                    disrupted.merge(t.name(), 1, Integer::sum);
                    rps.computeIfAbsent(t.name(), k -> new ArrayList<>())
                            .add(Double.NaN); // rounds stay paired by index
                    continue;
                }
                rps.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(r.rps());
                long pg1 = hub == null ? -1 : pg.executed(hub.database());
                if (pg0 >= 0 && pg1 >= 0) {
                    pgPerCall
                            .computeIfAbsent(t.name(), k -> new ArrayList<>())
                            .add((pg1 - pg0) / (double) r.requests());
                }
                long commits1 = hub == null ? -1 : pg.commits(hub.database());
                if (commits0 >= 0 && commits1 >= 0) {
                    commitsPerCall
                            .computeIfAbsent(t.name(), k -> new ArrayList<>())
                            .add((commits1 - commits0) / (double) r.requests());
                }
                if (hub != null || peer != null) {
                    cpuPerCall
                            .computeIfAbsent(t.name(), k -> new ArrayList<>())
                            .add((cpuMillis(hub, peer) - cpu0) * 1000.0 / r.requests());
                }
                if (countsRedis) {
                    Map<String, Long> d = RedisStats.delta(redis0, new RedisStats(redisPort(hub)).snapshot());
                    d.put("#calls", r.requests());
                    progress("  %s: %d requests, Valkey %s", t.name(), r.requests(), d);
                    valkey.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(d);
                }
            }
        }
        for (HttpTarget t : throughputTargets) {
            rps.putIfAbsent(t.name(), List.of(Double.NaN));
        }
        double nginxRps = median(rps.get("nginx"));
        double directRps = median(rps.get("direct"));
        line(
                "1. Throughput, closed loop (wrk -t1 -c%d)     req/s   spread (min-max)   x direct   x nginx   server CPU/call  PostgreSQL"
                        + " statements/call  Valkey round trips/call",
                connections);
        for (HttpTarget t : throughputTargets) {
            List<Double> v = rps.get(t.name());
            String cpu =
                    cpuPerCall.containsKey(t.name()) ? String.format("%7.0f us", median(cpuPerCall.get(t.name()))) : "";
            String cmds = valkey.containsKey(t.name()) ? valkeySummary(valkey.get(t.name())) : "";
            String statements = pgPerCall.containsKey(t.name())
                    ? String.format(Locale.ROOT, "%.2f", median(pgPerCall.get(t.name())))
                    : "";
            line(
                    "   %-40s %9.0f   %7.0f-%-7.0f   %7.2f   %7.2f   %15s  %26s  %s",
                    describe(t),
                    median(v),
                    min(v),
                    max(v),
                    median(v) / directRps,
                    median(v) / nginxRps,
                    cpu,
                    statements,
                    cmds);
            fig.put("rps " + t.name(), median(v));
            fig.put("xnginx " + t.name(), median(v) / nginxRps);
            if (valkey.containsKey(t.name())) {
                fig.put("trips " + t.name(), roundTrips(valkey.get(t.name())));
            }
            if (cpuPerCall.containsKey(t.name())) {
                fig.put("cpu " + t.name(), median(cpuPerCall.get(t.name())));
            }
        }
        if (!disrupted.isEmpty()) {
            line(
                    "   !! rounds with errors (e.g. the shared PostgreSQL restarted), excluded from the medians: %s",
                    disrupted);
        }
        if (mode.equals("fair")) {
            fairSummary(hubs, rps, cpuPerCall, valkey);
            return 0;
        }
        if (mode.equals("keyed")) {
            keyedSummary(hubs, rps, pgPerCall, commitsPerCall);
            // The floor under the keyed path: its claim and its completion each wait for a durable commit.
            double commitMs = pg.commitLatencyMillis(pgUrl(main.database()));
            if (!Double.isNaN(commitMs)) {
                line(
                        "   PostgreSQL commit latency now (one-row INSERT in autocommit, median of 50, bench client):"
                                + " %.2f ms; a keyed call waits for two commits (claim, completion)",
                        commitMs);
            }
            return 0;
        }
        line("");

        // 2. and 3. Latency at fixed offered rates (DESIGN §10's 2000 req/s, with fast rejection; then half
        // the hub's measured peak, as the issue asks), open loop.
        int designRate = intOpt("rate", 2000);
        double hubPeak = Math.min(
                median(rps.get(main.call().name())), median(rps.get(main.proxy().name())));
        int halfPeak = (int) Math.max(100, Math.floor(hubPeak / 2 / 50) * 50);
        List<HttpTarget> withRejects = new ArrayList<>(loadTargets);
        withRejects.add(open);
        withRejects.add(limited);
        Latency atDesign = latency(withRejects, designRate, open, limited);
        line(
                "2. Latency at %d req/s, DESIGN §10's rate (open loop, CO-free; us)     p50     p99   p99.9     max   added p50  added p99  added p99.9",
                designRate);
        latencyTable(atDesign, loadTargets, hubs, peers, viaNginx, true);
        line(
                "   Fast rejection at %d req/s (hub /call, answered by admission; us) p50     p99   p99.9     max   upstream calls in %d s",
                designRate, (long) plan.rounds() * plan.seconds());
        for (HttpTarget t : List.of(open, limited)) {
            List<double[]> v = atDesign.pct().get(t.name());
            long upstream = atDesign.upstreamCalls().getOrDefault(t.name(), 0L);
            line(
                    "   %-62s %7.0f %7.0f %7.0f %7.0f   %d%s",
                    t.name().startsWith("503") ? "503 circuit open" : "429 rate limited (limit 1/s)",
                    med(v, 0),
                    med(v, 1),
                    med(v, 2),
                    med(v, 3),
                    upstream,
                    t == limited ? " (the 1/s the limit lets through)" : "");
            fig.put("reject p99 " + t.name(), med(v, 1));
            fig.put("reject upstream " + t.name(), (double) upstream);
        }
        line("");
        Latency atHalf = latency(loadTargets, halfPeak, open, limited);
        line(
                "3. Latency at %d req/s, half the hub's peak (open loop, CO-free; us)   p50     p99   p99.9     max   added p50  added p99  added p99.9",
                halfPeak);
        latencyTable(atHalf, loadTargets, hubs, peers, viaNginx, false);
        line("");

        long degraded = main.process().logCount("Valkey unreachable") - degradedBefore;
        fig.put("degraded", (double) degraded);
        if (degraded > 0) {
            line(
                    "   !! the hub fell back to in-process admission %d time(s) during the measurement (a Valkey command took > 50 ms:"
                            + " an overloaded machine); those calls skipped Valkey, so the hub figures above are flattered",
                    degraded);
            line("");
        }
        rateUsed = designRate;
        // 4. Memory and start-up.
        if (hubs.size() > 1) {
            sideBySide(hubs, rps, atDesign, atHalf, designRate, halfPeak);
        }
        line(
                "4. Hub process after the run                 RSS now   RSS peak   heap peak used   heap committed peak     GCs"
                        + "   GC pauses, total");
        for (Hub h : hubs) {
            long[] rss = h.process().rssKib();
            long[] heap = h.process().heapMib();
            line(
                    "   %-40s %6.0f MB  %6.0f MB  %11d MiB  %16d MiB  %6d  %10.0f ms",
                    h.label(),
                    rss[0] * 1024 / 1e6,
                    rss[1] * 1024 / 1e6,
                    heap[0],
                    heap[2],
                    heap[3],
                    h.process().gcPauseMillis());
            if (h == main) {
                fig.put("rss peak MB", rss[1] * 1024 / 1e6);
                fig.put("heap peak MiB", (double) heap[0]);
            }
        }
        for (Hub h : hubs) {
            line(
                    "   start-up to ready, %-8s production mode, registry in PostgreSQL: %5d ms (the hub's own count: %d ms)",
                    h.label(), h.process().startup().toMillis(), h.process().internalStartupMillis());
        }
        return rateUsed;
    }

    /**
     * bench/run.sh --hold (issue 11): hub /call at half its peak (measured here first, quickly) or at
     * --rate, open loop, for --hold-seconds, read every 10 s; see {@link Hold}.
     */
    private void hold(Hub hub, int connections, LocalDateTime startedAt, String loadAtStart) throws Exception {
        int seconds = intOpt("hold-seconds", 300);
        HttpTarget target = hub.call();
        Wrk wrk = new Wrk(work, 1, connections);
        // As the full run warms up: wrk on both hub targets (8 s of /call alone left C2 still compiling:
        // peak rounds of 3984, 5589, 9461 req/s), then one excluded round.
        for (HttpTarget t : List.of(hub.call(), hub.proxy())) {
            progress(
                    "JIT warm-up %-14s %9.0f req/s",
                    t.name(), wrk.run(t, Duration.ofSeconds(plan.jitSeconds())).rps());
        }
        progress(
                "warm-up round %-14s %9.0f req/s",
                target.name(),
                wrk.run(target, Duration.ofSeconds(plan.warmSeconds())).rps());
        int rate;
        String rateSource;
        if (opt.containsKey("rate")) {
            rate = intOpt("rate", 0);
            rateSource = "--rate";
        } else {
            List<Double> peaks = new ArrayList<>();
            for (int round = 1; round <= plan.rounds(); round++) {
                Wrk.Result r = wrk.run(target, Duration.ofSeconds(plan.seconds()));
                progress(
                        "peak round %d %-14s %9.0f req/s%s",
                        round,
                        target.name(),
                        r.rps(),
                        r.errors() > 0 ? ", " + r.errors() + " ERRORS (round excluded)" : "");
                peaks.add(r.errors() > 0 ? Double.NaN : r.rps());
            }
            double peak = median(peaks);
            if (Double.isNaN(peak)) {
                throw new IllegalStateException("no peak round without errors: see " + work.resolve("hub.log"));
            }
            rate = (int) Math.max(100, Math.floor(peak / 2 / 50) * 50);
            rateSource = String.format(
                    Locale.ROOT,
                    "half of %s's peak measured just before it: median %.0f req/s of %d x %d s"
                            + " of wrk -t1 -c%d %s, after %d s of JIT warm-up on /call and on /proxy and a %d s warm-up round",
                    target.name(),
                    peak,
                    plan.rounds(),
                    plan.seconds(),
                    connections,
                    peaks.stream()
                            .map(d -> String.format(Locale.ROOT, "%.0f", d))
                            .toList(),
                    plan.jitSeconds(),
                    plan.warmSeconds());
        }
        line(
                "Integration Hub load hold, %s, commit %s",
                startedAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), opt.getOrDefault("commit", "?"));
        line(
                "machine: %d cores, %s; load average at start %s",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                loadAtStart);
        line(
                "hub: -Xms64m -Xmx256m %s(as scripts/run), production mode, registry in PostgreSQL, Redis :%s; shared breaker +"
                        + " limiter on (limit 100000/s); provider auth bearer; no idempotency key",
                String.join(" ", hubJvmArgs()) + (hubJvmArgs().isEmpty() ? "" : " "), opt.get("redis-port"));
        line(
                "load: %s (JSON envelope) at %d req/s for %d s, open loop (CO-free: latency from each request's due time), %s;"
                        + " %d s intervals by completion time",
                target.name(),
                rate,
                seconds / Hold.INTERVAL.toSeconds() * Hold.INTERVAL.toSeconds(),
                "64 connections",
                Hold.INTERVAL.toSeconds());
        line("rate: %s", rateSource);
        line(
                "memory: RSS = VmRSS; heap after last GC = used after the latest pause in the hub's -Xlog:gc log (lowest: the"
                        + " lowest after-GC figure within the interval)");
        line("");
        long degradedBefore = hub.process().logCount("Valkey unreachable");
        Hold.Outcome o = Hold.run(hub.process(), target, rate, seconds, s -> progress("%s", s));
        Hold.report(o).forEach(l -> line("%s", l));
        long degraded = hub.process().logCount("Valkey unreachable") - degradedBefore;
        if (degraded > 0) {
            line(
                    "   !! the hub fell back to in-process admission %d time(s) during the hold (a Valkey command took > 50 ms:"
                            + " an overloaded machine); those calls skipped Valkey",
                    degraded);
        }
    }

    /**
     * Each compared hub against the first, paired per round (rounds are interleaved, so the same round
     * saw the same machine): throughput ratio and p99 difference, median and range over rounds. A
     * difference is real when the whole range is on one side of 1 (or 0).
     */
    private void sideBySide(
            List<Hub> hubs,
            Map<String, List<Double>> rps,
            Latency atDesign,
            Latency atHalf,
            int designRate,
            int halfPeak) {
        Hub main = hubs.get(0);
        line(
                "   Side by side with %s, paired per round (each round's ratio or difference; median [min..max] over rounds)",
                main.label());
        line(
                "   %-14s %-26s %-34s %-34s %s",
                "",
                "throughput x " + main.label(),
                "p99 at " + designRate + "/s minus " + main.label() + "'s",
                "p99 at " + halfPeak + "/s minus " + main.label() + "'s",
                "JVM options beyond -Xms64m -Xmx256m");
        line(
                "   %-14s %-26s %-34s %-34s %s",
                main.label(), "", "", "", main.jvmArgs().isEmpty() ? "(none)" : String.join(" ", main.jvmArgs()));
        for (Hub h : hubs.subList(1, hubs.size())) {
            for (int k = 0; k < 3; k++) {
                HttpTarget t = k == 0 ? h.call() : k == 1 ? h.proxy() : h.keyed();
                HttpTarget base = k == 0 ? main.call() : k == 1 ? main.proxy() : main.keyed();
                List<Double> ratio = paired(rps.get(t.name()), rps.get(base.name()), (a, b) -> a / b);
                List<Double> design = paired(p99s(atDesign, t), p99s(atDesign, base), (a, b) -> a - b);
                List<Double> half = paired(p99s(atHalf, t), p99s(atHalf, base), (a, b) -> a - b);
                boolean throughputOnly = t == h.keyed();
                line(
                        "   %-14s %-26s %-34s %-34s %s",
                        t.name(),
                        spread(ratio, "%.2f", ""),
                        throughputOnly ? "(throughput only)" : spread(design, "%+.0f", " us"),
                        throughputOnly ? "" : spread(half, "%+.0f", " us"),
                        k != 0 ? "" : h.jvmArgs().isEmpty() ? "(none)" : String.join(" ", h.jvmArgs()));
            }
        }
        line("");
    }

    private static List<Double> p99s(Latency l, HttpTarget t) {
        return l.pct().getOrDefault(t.name(), List.of()).stream().map(v -> v[1]).toList();
    }

    private static List<Double> paired(List<Double> a, List<Double> b, java.util.function.DoubleBinaryOperator f) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            d.add(f.applyAsDouble(a.get(i), b.get(i)));
        }
        return d;
    }

    private static String spread(List<Double> v, String format, String unit) {
        return String.format(
                Locale.ROOT, format + " [" + format + ".." + format + "]" + unit, median(v), min(v), max(v));
    }

    /** Percentiles per target per round (p50, p99, p99.9, max; us), upstream calls and unexpected answers. */
    private record Latency(
            Map<String, List<double[]>> pct, Map<String, Long> upstreamCalls, Map<String, Long> unexpected) {}

    private Latency latency(List<HttpTarget> targets, int rate, HttpTarget open, HttpTarget limited) throws Exception {
        Map<String, List<double[]>> pct = new LinkedHashMap<>();
        Map<String, Long> upstreamCalls = new LinkedHashMap<>();
        Map<String, Long> unexpected = new LinkedHashMap<>();
        Path failLog = work.resolve("upstream-fail.log");
        Path limitedLog = work.resolve("upstream-limited.log");
        for (int round = 0; round <= plan.rounds(); round++) {
            boolean warm = round == 0;
            for (HttpTarget t : targets) {
                Path log = t == open ? failLog : t == limited ? limitedLog : null;
                long before = log == null ? 0 : lines(log);
                OpenLoop.Result r =
                        OpenLoop.run(t, rate, Duration.ofSeconds(warm ? plan.warmSeconds() : plan.seconds()), 64);
                var h = r.status(t.expectedStatus());
                progress(
                        "latency %d/s %s %-14s p50 %6d us  p99 %6d us  (%s)",
                        rate,
                        warm ? "warm-up" : "round " + round,
                        t.name(),
                        h.getValueAtPercentile(50),
                        h.getValueAtPercentile(99),
                        r.statusSummary());
                if (warm) {
                    continue;
                }
                // A round without a single expected answer (the shared PostgreSQL restarting, say) counts as NaN.
                pct.computeIfAbsent(t.name(), k -> new ArrayList<>())
                        .add(
                                h.getTotalCount() == 0
                                        ? new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}
                                        : new double[] {
                                            h.getValueAtPercentile(50),
                                            h.getValueAtPercentile(99),
                                            h.getValueAtPercentile(99.9),
                                            h.getMaxValue()
                                        });
                unexpected.merge(
                        t.name(),
                        r.unexpected(t.expectedStatus()) + (r.due() - r.completed() - r.count(-1)),
                        Long::sum);
                if (log != null) {
                    upstreamCalls.merge(t.name(), lines(log) - before, Long::sum);
                }
            }
        }
        return new Latency(pct, upstreamCalls, unexpected);
    }

    private void latencyTable(
            Latency l,
            List<HttpTarget> targets,
            List<Hub> hubs,
            List<Peer> peers,
            HttpTarget viaNginx,
            boolean forVerdicts) {
        for (HttpTarget t : targets) {
            List<double[]> v = l.pct().get(t.name());
            String added = "";
            if (hubOf(hubs, t) != null || peerOf(peers, t) != null || t == viaNginx) {
                added = String.format(
                        Locale.ROOT,
                        "%9.0f  %9.0f  %11.0f",
                        pairedDiff(l.pct(), t.name(), "direct", 0),
                        pairedDiff(l.pct(), t.name(), "direct", 1),
                        pairedDiff(l.pct(), t.name(), "direct", 2));
                if (forVerdicts) {
                    fig.put("added p50 " + t.name(), pairedDiff(l.pct(), t.name(), "direct", 0));
                    fig.put("added p99 " + t.name(), pairedDiff(l.pct(), t.name(), "direct", 1));
                }
            }
            line(
                    "   %-62s %7.0f %7.0f %7.0f %7.0f   %s",
                    describe(t), med(v, 0), med(v, 1), med(v, 2), med(v, 3), added);
        }
        line(
                "   (added: the target's percentile minus direct's in the same round, median over rounds; answers not 2xx: %s)",
                targets.stream()
                        .map(t -> t.name() + " " + l.unexpected().getOrDefault(t.name(), 0L))
                        .toList());
    }

    /** Each DESIGN §10 target beside what this run measured. */
    private void verdicts(int rate) {
        line("5. DESIGN §10 targets                                   %-44s %-22s %s", "measured", "target", "verdict");
        for (String t : List.of("hub /call", "hub /proxy")) {
            verdict(
                    "throughput " + t + ", x nginx",
                    fig.get("xnginx " + t),
                    "%.2fx (" + Math.round(fig.get("rps " + t)) + " vs " + Math.round(fig.get("rps nginx")) + " req/s)",
                    ">= 0.20x",
                    fig.get("xnginx " + t) >= 0.2);
        }
        String at = " at " + rate + " req/s";
        for (String t : List.of("hub /call", "hub /proxy")) {
            verdict(
                    "added latency p50, " + t,
                    fig.get("added p50 " + t) / 1000,
                    "%.2f ms" + at,
                    "<= 0.5 ms",
                    fig.get("added p50 " + t) <= 500);
            verdict(
                    "added latency p99, " + t,
                    fig.get("added p99 " + t) / 1000,
                    "%.2f ms" + at,
                    "<= 1.5 ms",
                    fig.get("added p99 " + t) <= 1500);
        }
        for (String t : List.of("503 open", "429 limited")) {
            double upstream = fig.get("reject upstream " + t);
            verdict(
                    "fast rejection p99, " + t,
                    fig.get("reject p99 " + t) / 1000,
                    "%.2f ms, " + Math.round(upstream) + " upstream calls",
                    "< 1 ms, none",
                    fig.get("reject p99 " + t) < 1000 && (t.startsWith("429") || upstream == 0));
        }
        verdict(
                "heap, peak used under load (-Xmx256m)",
                fig.get("heap peak MiB"),
                "%.0f MiB",
                "<= 256 MiB",
                fig.get("heap peak MiB") <= 256);
        verdict("RSS, peak (VmHWM)", fig.get("rss peak MB"), "%.0f MB", "<= 400 MB", fig.get("rss peak MB") <= 400);
        if (fig.containsKey("startup standalone ms")) {
            verdict(
                    "start-up to ready, standalone, warm cache",
                    fig.get("startup standalone ms"),
                    "%.0f ms",
                    "<= 3000 ms",
                    fig.get("startup standalone ms") <= 3000);
        }
        double keyed = fig.get("rps hub /call keyed") / fig.get("rps hub /call");
        verdict(
                "throughput hub /call keyed (fresh key), x unkeyed",
                keyed,
                "%.2fx (" + Math.round(fig.get("rps hub /call keyed")) + " vs " + Math.round(fig.get("rps hub /call"))
                        + " req/s)",
                ">= 0.5x",
                keyed >= 0.5);
        if (fig.containsKey("rps scg")) {
            double x = fig.get("rps hub /proxy") / fig.get("rps scg");
            verdict(
                    "throughput hub /proxy, x Spring Cloud Gateway peer",
                    x,
                    "%.2fx (" + Math.round(fig.get("rps hub /proxy")) + " vs " + Math.round(fig.get("rps scg"))
                            + " req/s)",
                    ">= 2x",
                    x >= 2);
            line(
                    "   %-52s %.2fx (%d vs %d us)",
                    "server CPU per call, hub /proxy x SCG peer's",
                    fig.get("cpu hub /proxy") / fig.get("cpu scg"),
                    Math.round(fig.get("cpu hub /proxy")),
                    Math.round(fig.get("cpu scg")));
        }
        double trips = Math.max(fig.get("trips hub /call"), fig.get("trips hub /proxy"));
        // Admission runs from leased permits: a round trip per lease (about one per instance and 200 ms), not per call.
        verdict(
                "Valkey round trips per call",
                trips,
                "%.3f (leases, failures, returns)",
                "< 0.1",
                trips < 0.1 && fig.get("degraded") == 0);
        // Issue 19 raised three of the bars above for /proxy (the rest it shares with DESIGN §10: p99 added,
        // fast rejections, keyed x unkeyed, round trips, and x SCG with --peers).
        line("   issue 19's stricter targets");
        verdict(
                "throughput hub /proxy, x nginx",
                fig.get("xnginx hub /proxy"),
                "%.2fx",
                ">= 0.35x",
                fig.get("xnginx hub /proxy") >= 0.35);
        verdict(
                "server CPU per call, hub /proxy",
                fig.get("cpu hub /proxy"),
                "%.0f us",
                "<= 100 us",
                fig.get("cpu hub /proxy") <= 100);
        for (String t : List.of("hub /call", "hub /proxy")) {
            verdict(
                    "added latency p50, " + t,
                    fig.get("added p50 " + t) / 1000,
                    "%.2f ms" + at,
                    "<= 0.3 ms",
                    fig.get("added p50 " + t) <= 300);
        }
    }

    private void verdict(String what, double value, String format, String target, boolean ok) {
        line("   %-52s %-44s %-22s %s", what, String.format(Locale.ROOT, format, value), target, ok ? "PASS" : "FAIL");
    }

    private static double roundTrips(List<Map<String, Long>> rounds) {
        List<Double> trips = new ArrayList<>();
        for (Map<String, Long> d : rounds) {
            long t = d.entrySet().stream()
                    .filter(e -> !e.getKey().equals("#calls") && !SCRIPT_INTERNAL.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            trips.add(t / (double) d.get("#calls"));
        }
        return median(trips);
    }

    // ------------------------------------------------------------------ hubs

    private Hub startHub(
            String label,
            Path jar,
            String database,
            String prefix,
            int redisPort,
            int upstreamPort,
            List<String> jvmArgs)
            throws Exception {
        recreateDatabase(database);
        String jwtSecret = randomBase64(36);
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("INTEGRATION_MODE", "production");
        env.put("INTEGRATION_HTTP_HOST", "127.0.0.1");
        env.put("INTEGRATION_HTTP_PORT", Integer.toString(port));
        env.put("INTEGRATION_GRPC_PORT", "0"); // a free port: several hubs (and other people's) run side by side
        env.put("INTEGRATION_MANAGEMENT_PORT", "0"); // likewise: the default 9464 fits one hub per machine
        env.put("INTEGRATION_DB_URL", pgUrl(database));
        env.put("INTEGRATION_DB_USER", opt.getOrDefault("pg-user", "hub"));
        env.put("INTEGRATION_DB_PASSWORD", opt.getOrDefault("pg-password", "hub"));
        env.put("INTEGRATION_MASTER_KEYS", "bench:" + Base64.getEncoder().encodeToString(key));
        env.put("INTEGRATION_MASTER_KEY_ID", "bench");
        env.put("INTEGRATION_JWT_SECRET", jwtSecret);
        env.put("INTEGRATION_VALKEY_URL", "redis://127.0.0.1:" + redisPort);
        env.put("INTEGRATION_VALKEY_PREFIX", prefix);
        env.put("INTEGRATION_ALLOW_INSECURE_HTTP", "true");
        env.put(
                "INTEGRATION_SPOOL_DIR",
                work.resolve("spool-" + label.replaceAll("[^A-Za-z0-9]", "_") + "-" + port)
                        .toString());
        List<String> args = new ArrayList<>(hubJvmArgs());
        args.addAll(jvmArgs);
        HubProcess process = HubProcess.start(label, jar, args, env, port, work);
        progress("%s ready in %d ms: %s", label, process.startup().toMillis(), process);
        String token = new TokenIssuer(jwtSecret).issue("bench", TENANT, Duration.ofHours(3), Scope.values());
        String base = "http://127.0.0.1:" + upstreamPort;
        createProvider(
                port,
                token,
                "{\"name\":\"bench\",\"type\":\"custom\",\"baseUrl\":\"" + base + "\","
                        + "\"auth\":{\"type\":\"bearer\",\"credentials\":{\"token\":\"sk_bench_0123456789abcdef\"}},"
                        + "\"config\":{\"allowPrivateNetwork\":true,\"rateLimitPerSec\":100000,\"timeoutMs\":5000}}");
        createProvider(
                port,
                token,
                "{\"name\":\"bench-open\",\"type\":\"custom\",\"baseUrl\":\"" + base + "\","
                        + "\"auth\":{\"type\":\"none\"},\"config\":{\"allowPrivateNetwork\":true,\"rateLimitPerSec\":100000,\"timeoutMs\":5000,"
                        + "\"retry\":{\"maxAttempts\":1},\"circuitBreaker\":{\"failureThreshold\":1,\"openSec\":3600}}}");
        createProvider(
                port,
                token,
                "{\"name\":\"bench-limited\",\"type\":\"custom\",\"baseUrl\":\"" + base + "\","
                        + "\"auth\":{\"type\":\"none\"},\"config\":{\"allowPrivateNetwork\":true,\"rateLimitPerSec\":1,\"timeoutMs\":5000}}");
        // Issue 18's rules on a provider of their own: the bench token's module ("bench", its subject) is in
        // class batch (half the limit) and capped, so every admission checks a class share and a module cap in
        // the shared limiter; both far above what the bench reaches, so no call is refused for them. A build
        // that predates the rules refuses the fields: it gets the same provider without them (fairRules false).
        String fairConfig = "\"allowPrivateNetwork\":true,\"rateLimitPerSec\":100000,\"timeoutMs\":5000";
        HttpResponse<String> fairCreated = postProvider(
                port,
                token,
                "{\"name\":\"bench-fair\",\"type\":\"custom\",\"baseUrl\":\"" + base + "\","
                        + "\"auth\":{\"type\":\"bearer\",\"credentials\":{\"token\":\"sk_bench_0123456789abcdef\"}},"
                        + "\"config\":{" + fairConfig
                        + ",\"priorities\":{\"bench\":\"batch\",\"payments\":\"critical\"},"
                        + "\"moduleLimits\":{\"bench\":90000},\"maxQueueMs\":1000}}");
        boolean fairRules = fairCreated.statusCode() == 201;
        if (!fairRules) {
            progress(
                    "%s does not take the fair-share rules (%d): bench-fair without them",
                    label, fairCreated.statusCode());
            createProvider(
                    port,
                    token,
                    "{\"name\":\"bench-fair\",\"type\":\"custom\",\"baseUrl\":\"" + base + "\","
                            + "\"auth\":{\"type\":\"bearer\",\"credentials\":{\"token\":\"sk_bench_0123456789abcdef\"}},"
                            + "\"config\":{" + fairConfig + "}}");
        }
        String name = label.equals("hub") ? "hub" : label;
        HttpTarget fair = proxyTarget(name + " /proxy fair", port, token, "bench-fair");
        HttpTarget call = HttpTarget.post(
                name + " /call",
                port,
                "/api/v1/integrations/call",
                Map.of("Authorization", "Bearer " + token),
                "{\"provider\":\"bench\",\"method\":\"GET\",\"path\":\"/payload.json\"}",
                200);
        HttpTarget proxy = proxyTarget(name + " /proxy", port, token, "bench");
        // The keyed path (what every payment call takes): an idempotency claim and a completion in PostgreSQL per call.
        HttpTarget keyed = HttpTarget.post(
                name + " /call keyed",
                port,
                "/api/v1/integrations/call",
                Map.of("Authorization", "Bearer " + token),
                "{\"provider\":\"bench\",\"method\":\"GET\",\"path\":\"/payload.json\",\"idempotencyKey\":\""
                        + HttpTarget.FRESH_KEY + "\"}",
                200);
        return new Hub(label, process, token, redisPort, database, call, proxy, keyed, fair, fairRules, args);
    }

    /** The transparent route to the provider's ~200-byte JSON. */
    private static HttpTarget proxyTarget(String name, int port, String token, String provider) {
        return HttpTarget.get(
                name,
                port,
                "/api/v1/integrations/proxy/" + provider + "/payload.json",
                Map.of("Authorization", "Bearer " + token),
                200);
    }

    /** Issue 15's large-body phase against this hub (see {@link LargeBodies}); at most 3 rounds. */
    private List<String> largeBodies(Hub hub) throws Exception {
        return LargeBodies.run(new LargeBodies.Setup(
                work,
                Integer.parseInt(opt.get("upstream-port")),
                Integer.parseInt(opt.get("nginx-port")),
                hub.process(),
                hub.token(),
                Math.min(plan.rounds(), 3),
                plan.seconds(),
                s -> progress("%s", s)));
    }

    /** Extra JVM options for every hub (--hub-jvm "..."), after the defaults of scripts/run (-Xms64m -Xmx256m). */
    private List<String> hubJvmArgs() {
        String extra = opt.getOrDefault("hub-jvm", "").trim();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    /**
     * bench/run.sh --keyed: each hub's keyed /call against its unkeyed /call, paired per round (the
     * rounds are interleaved, so one round saw one machine), with the PostgreSQL statements and commits
     * per keyed call (commits from pg_stat_database, which backends report about once a second: +-1 s of a round).
     */
    private void keyedSummary(
            List<Hub> hubs,
            Map<String, List<Double>> rps,
            Map<String, List<Double>> statements,
            Map<String, List<Double>> commits) {
        line(
                "   keyed x unkeyed /call                    median   per round                 PostgreSQL statements/keyed call"
                        + "   commits/keyed call");
        for (Hub h : hubs) {
            List<Double> keyed = rps.get(h.keyed().name());
            List<Double> plain = rps.get(h.call().name());
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(keyed.size(), plain.size()); i++) {
                ratios.add(keyed.get(i) / plain.get(i));
            }
            double ratio = median(ratios);
            String perRound = ratios.stream()
                    .map(r -> String.format(Locale.ROOT, "%.2f", r))
                    .collect(java.util.stream.Collectors.joining(" "));
            line(
                    "   %-40s %6.2fx   %-24s  %32s   %18s   %s",
                    h.label(),
                    ratio,
                    perRound,
                    statements.containsKey(h.keyed().name())
                            ? String.format(
                                    Locale.ROOT,
                                    "%.2f",
                                    median(statements.get(h.keyed().name())))
                            : "",
                    commits.containsKey(h.keyed().name())
                            ? String.format(
                                    Locale.ROOT,
                                    "%.2f",
                                    median(commits.get(h.keyed().name())))
                            : "",
                    ratio >= 0.5 ? "PASS (>= 0.5x)" : "FAIL (>= 0.5x)");
        }
    }

    /**
     * bench/run.sh --fair (issue 18): what the fair-share rules cost at admission. Each hub's /proxy to a
     * provider with a class share, a module cap and a waiting line configured, against its /proxy to one
     * without, paired per round; and against the first compared build's plain /proxy (--compare NAME: the
     * build before the rules). The rules ride on the leased permits, so the Valkey round trips per call
     * must not grow: the verdict compares them with the plain /proxy of every build measured.
     */
    private void fairSummary(
            List<Hub> hubs,
            Map<String, List<Double>> rps,
            Map<String, List<Double>> cpuPerCall,
            Map<String, List<Map<String, Long>>> valkey) {
        line("");
        line("   rules x no rules, /proxy                  median   per round              CPU/call with / without"
                + "   Valkey round trips/call with / without");
        double plainTrips = 0;
        for (Hub h : hubs) {
            plainTrips = Math.max(plainTrips, roundTrips(valkey.get(h.proxy().name())));
        }
        Hub main = hubs.get(0);
        for (Hub h : hubs) {
            List<Double> ratios =
                    paired(rps.get(h.fair().name()), rps.get(h.proxy().name()), (a, b) -> a / b);
            line(
                    "   %-40s %6.2fx   %-22s  %7.0f / %-7.0f us   %.3f / %.3f",
                    h.label() + (h.fairRules() ? "" : " (rules unknown to this build)"),
                    median(ratios),
                    ratios.stream()
                            .map(r -> String.format(Locale.ROOT, "%.2f", r))
                            .collect(java.util.stream.Collectors.joining(" ")),
                    median(cpuPerCall.get(h.fair().name())),
                    median(cpuPerCall.get(h.proxy().name())),
                    roundTrips(valkey.get(h.fair().name())),
                    roundTrips(valkey.get(h.proxy().name())));
        }
        if (hubs.size() > 1 && !hubs.get(1).fairRules()) {
            // The build before the rules serves both targets alike: its ratio is what place and noise alone
            // make of two equal targets, so this build's ratio over it is the rules' own cost.
            Hub before = hubs.get(1);
            double control = median(
                    paired(rps.get(before.fair().name()), rps.get(before.proxy().name()), (a, b) -> a / b));
            double own = median(
                    paired(rps.get(main.fair().name()), rps.get(main.proxy().name()), (a, b) -> a / b));
            line(
                    "   %-40s %6.2fx   (%s's rules x no rules over %s's same two targets without rules)",
                    "the rules' own cost, net of the control", own / control, main.label(), before.label());
        }
        if (hubs.size() > 1) {
            Hub before = hubs.get(1);
            List<Double> ratios =
                    paired(rps.get(main.fair().name()), rps.get(before.proxy().name()), (a, b) -> a / b);
            line(
                    "   %-40s %6.2fx   (this build's /proxy with the rules x %s's /proxy; CPU/call %.0f vs %.0f us)",
                    "rules x the build before",
                    median(ratios),
                    before.label(),
                    median(cpuPerCall.get(main.fair().name())),
                    median(cpuPerCall.get(before.proxy().name())));
        }
        double fairTrips = roundTrips(valkey.get(main.fair().name()));
        line("");
        verdict(
                "Valkey round trips per call with the rules",
                fairTrips,
                "%.3f (max without the rules, every build: " + String.format(Locale.ROOT, "%.3f", plainTrips) + ")",
                "no more than without",
                main.fairRules() && fairTrips <= plainTrips + 0.005);
    }

    private static Hub hubOf(List<Hub> hubs, HttpTarget t) {
        return hubs.stream()
                .filter(h -> h.process().port() == t.port())
                .findFirst()
                .orElse(null);
    }

    private static Peer peerOf(List<Peer> peers, HttpTarget t) {
        return peers.stream().filter(p -> p.target() == t).findFirst().orElse(null);
    }

    private static long cpuMillis(Hub hub, Peer peer) {
        return hub != null ? hub.process().cpuMillis() : peer != null ? ProcessCpu.millis(peer.pid()) : 0;
    }

    private int redisPort(Hub hub) {
        return hub != null ? hub.redisPort() : Integer.parseInt(opt.get("redis-port"));
    }

    /**
     * The peers run.sh started (--peer-haproxy PORT:PID, --peer-scg PORT:PID): both serve provider
     * "bench" at / (the prefix-free route: retries, breaker, limit, credential header), SCG with its
     * limiter in the bench's private Redis.
     */
    private List<Peer> peers() {
        List<Peer> peers = new ArrayList<>();
        for (String name : List.of("haproxy", "scg")) {
            String value = opt.get("peer-" + name);
            if (value != null) {
                String[] portPid = value.split(":");
                peers.add(new Peer(
                        HttpTarget.get(name, Integer.parseInt(portPid[0]), "/payload.json", Map.of(), 200),
                        Long.parseLong(portPid[1]),
                        name.equals("scg")));
            }
        }
        return peers;
    }

    private void createProvider(int port, String token, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = postProvider(port, token, json);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("creating a provider answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static HttpResponse<String> postProvider(int port, String token, String json)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/integrations/providers"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * One failing call (upstream 500, one attempt, threshold 1) opens bench-open's breaker for an hour;
     * open means three answers in a row (100 ms apart) said so, not one that a degraded moment decided.
     */
    private void openBreaker(Hub hub) throws Exception {
        String call = "{\"provider\":\"bench-open\",\"method\":\"GET\",\"path\":\"/fail.json\"}";
        int open = 0;
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> r = send(hub.process().port(), "/api/v1/integrations/call", hub.token(), call);
            open = r.statusCode() == 503
                            && r.headers()
                                    .firstValue("X-Circuit-Breaker-Open")
                                    .orElse("")
                                    .equals("true")
                    ? open + 1
                    : 0;
            if (open == 3) {
                return;
            }
            Thread.sleep(open > 0 ? 100 : 50);
        }
        throw new IllegalStateException("the breaker of bench-open did not open");
    }

    private HttpResponse<String> send(int port, String path, String token, String json)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A target must answer its expected status before it is measured. */
    private void check(HttpTarget t) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url())).timeout(Duration.ofSeconds(10));
        t.headers().forEach(b::header);
        byte[] body = t.freshKeys() ? t.bodyWithKey("check-" + randomBase64(12)) : t.body();
        b.method(
                t.method(),
                body.length > 0 ? HttpRequest.BodyPublishers.ofByteArray(body) : HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != t.expectedStatus()) {
            throw new IllegalStateException(
                    t.name() + " answered " + r.statusCode() + " instead of " + t.expectedStatus() + ": " + r.body());
        }
        progress(
                "checked %-14s %d, %d body bytes",
                t.name(), r.statusCode(), r.body().length());
    }

    private List<Long> standaloneStartups() throws Exception {
        List<Long> measured = new ArrayList<>();
        if (plan.standaloneStarts() <= 0) {
            return measured;
        }
        Path state = work.resolve("standalone");
        for (int i = 0; i <= plan.standaloneStarts(); i++) {
            int port = freePort();
            Map<String, String> env = Map.of(
                    "INTEGRATION_MODE",
                    "standalone",
                    "INTEGRATION_STATE_DIR",
                    state.toString(),
                    "INTEGRATION_HTTP_HOST",
                    "127.0.0.1",
                    "INTEGRATION_HTTP_PORT",
                    Integer.toString(port),
                    "INTEGRATION_GRPC_PORT",
                    "0");
            try (HubProcess p =
                    HubProcess.start("standalone", Path.of(opt.get("hub-jar")), List.of(), env, port, work)) {
                progress(
                        "standalone start %s: %d ms to ready",
                        i == 0 ? "(priming, excluded)" : Integer.toString(i),
                        p.startup().toMillis());
                if (i > 0) {
                    measured.add(p.startup().toMillis());
                }
            }
        }
        return measured;
    }

    private void profile(Hub hub, int connections) throws Exception {
        Wrk wrk = new Wrk(work, 1, connections);
        // --profile-target call|proxy|keyed: one target only, so the profile is that path's alone.
        String only = opt.get("profile-target");
        List<HttpTarget> targets = only == null
                ? List.of(hub.call(), hub.proxy())
                : List.of(
                        switch (only) {
                            case "call" -> hub.call();
                            case "proxy" -> hub.proxy();
                            case "keyed" -> hub.keyed();
                            default ->
                                throw new IllegalArgumentException("--profile-target must be call, proxy or keyed");
                        });
        // The recording covers the measured windows only: not the start-up (migrations, class loading) nor
        // the JIT warm-up, whose compiler threads JFR's execution samples never show anyway.
        for (HttpTarget t : targets) {
            progress(
                    "JIT warm-up %-14s %9.0f req/s",
                    t.name(),
                    wrk.run(t, Duration.ofSeconds(plan.jitSeconds() + plan.warmSeconds()))
                            .rps());
        }
        jcmd(hub, "JFR.start", "name=bench", "settings=profile");
        for (HttpTarget t : targets) {
            long cpu0 = hub.process().cpuMillis();
            Wrk.Result r = wrk.run(t, Duration.ofSeconds(plan.seconds()));
            progress(
                    "profile %-14s %9.0f req/s, hub CPU %.0f us/call",
                    t.name(), r.rps(), (hub.process().cpuMillis() - cpu0) * 1000.0 / r.requests());
        }
        jcmd(hub, "JFR.stop", "name=bench", "filename=" + work.resolve("hub.jfr"));
    }

    private static void jcmd(Hub hub, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(hub.process().pid())));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + said);
        }
    }

    /**
     * Where the latency tail comes from (bench/run.sh --tail): each target at the §10 rate, open loop,
     * and every answer slower than 2 ms set beside the hub's stop-the-world pauses (safepoints: GC
     * and other VM operations) from its -Xlog:safepoint log.
     */
    private void tail(Hub hub, List<HttpTarget> targets, int connections) throws Exception {
        Wrk wrk = new Wrk(work, 1, connections);
        for (HttpTarget t : List.of(hub.call(), hub.proxy())) {
            progress(
                    "JIT warm-up %-14s %9.0f req/s",
                    t.name(), wrk.run(t, Duration.ofSeconds(plan.jitSeconds())).rps());
        }
        int rate = intOpt("rate", 2000);
        long threshold = intOpt("slow-us", 2000);
        Pattern safepoint = Pattern.compile("\\[([^\\]]+)\\].*Safepoint \"(\\w+)\".*Total: (\\d+) ns");
        for (HttpTarget t : targets) {
            OpenLoop.Result r = OpenLoop.run(t, rate, Duration.ofSeconds(plan.seconds()), 64, threshold);
            Thread.sleep(200); // the log is written at the end of each pause
            List<long[]> pauses = new ArrayList<>(); // {start ms, end ms, index of name}
            List<String> names = new ArrayList<>();
            for (String l : Files.readAllLines(work.resolve("hub-safepoint.log"))) {
                Matcher m = safepoint.matcher(l);
                if (m.find()) {
                    long end = java.time.OffsetDateTime.parse(
                                    m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"))
                            .toInstant()
                            .toEpochMilli();
                    long total = Long.parseLong(m.group(3)) / 1_000_000;
                    pauses.add(new long[] {end - total - 1, end + 1, names.size()});
                    names.add(m.group(2) + " " + total + " ms");
                }
            }
            var h = r.status(t.expectedStatus());
            long slow = r.slow().size();
            long inPause = 0;
            Map<String, Long> byPause = new java.util.TreeMap<>();
            for (long[] s : r.slow()) {
                long due = s[0];
                long done = s[0] + s[1] / 1000;
                for (long[] p : pauses) {
                    if (p[0] <= done && p[1] >= due) {
                        inPause++;
                        byPause.merge(names.get((int) p[2]).replaceAll(" \\d+ ms", ""), 1L, Long::sum);
                        break;
                    }
                }
            }
            long pausesInRun = pauses.stream()
                    .filter(p -> p[1] >= System.currentTimeMillis() - (long) (r.seconds() * 1000) - 500)
                    .count();
            out.printf(
                    Locale.ROOT,
                    "%-12s at %d/s: p50 %d us, p99 %d us, p99.9 %d us; %d of %d answers slower than %d us (%.2f %%),"
                            + " %d of them overlapping a hub safepoint %s; %d safepoints during the run%n",
                    t.name(),
                    rate,
                    h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9),
                    slow,
                    h.getTotalCount(),
                    threshold,
                    100.0 * slow / Math.max(1, h.getTotalCount()),
                    inPause,
                    byPause,
                    pausesInRun);
        }
    }

    // ------------------------------------------------------------------ environment

    private String pgUrl(String database) {
        return opt.getOrDefault("pg-url", "jdbc:postgresql://127.0.0.1:5432/") + database;
    }

    private void recreateDatabase(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        pgUrl("postgres"), opt.getOrDefault("pg-user", "hub"), opt.getOrDefault("pg-password", "hub"));
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private void writeResults(String table, LocalDateTime startedAt) throws IOException {
        String mode = opt.getOrDefault("mode", "full");
        boolean hold = mode.equals("hold");
        // A hold shorter than the default 300 s is a development run: its file stays in the work directory.
        boolean kept = mode.equals("full")
                || mode.equals("large")
                || mode.equals("keyed")
                || mode.equals("fair")
                || hold && intOpt("hold-seconds", 300) >= 300;
        Path dir = kept && opt.containsKey("results") ? Path.of(opt.get("results")) : work;
        Files.createDirectories(dir);
        String stamp = startedAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm", Locale.ROOT));
        Path file =
                dir.resolve(hold ? "hold-" + stamp + ".md" : stamp + (mode.equals("full") ? "" : "-" + mode) + ".md");
        StringBuilder md = new StringBuilder();
        md.append(hold ? "# Load hold " : "# Bench run ").append(stamp).append("\n\n");
        md.append("Written by `bench/run.sh")
                .append(mode.equals("full") ? "" : " --" + mode)
                .append(hold ? " " + intOpt("hold-seconds", 300) : "")
                .append("`")
                .append(opt.containsKey("note") ? ": " + opt.get("note") : "")
                .append(
                        hold
                                ? ". Issue 11: do latency and memory stay flat under a steady load? (bench/README.md)\n\n"
                                : ". Targets: DESIGN §10.\n\n");
        md.append("```\n").append(table).append("```\n");
        Files.writeString(file, md.toString());
        out.println("results written to " + file);
    }

    // ------------------------------------------------------------------ numbers

    private String describe(HttpTarget t) {
        return switch (t.name()) {
            case "direct" -> "direct (upstream nginx, ~200-byte JSON)";
            case "nginx" -> "nginx reverse proxy (keep-alive upstream)";
            case "haproxy" -> "HAProxy peer (retry, stick-table limit)";
            case "scg" -> "Spring Cloud Gateway peer (R4j, Redis)";
            default ->
                t.name()
                        + (t.freshKeys()
                                ? " (new key per call)"
                                : t.method().equals("POST") ? " (JSON envelope)" : " (transparent route)");
        };
    }

    /**
     * Round trips per call (commands the hub sent: EVALSHA/EVAL and anything else outside a
     * script), then the commands the scripts ran inside Redis (commandstats counts those too).
     */
    private static String valkeySummary(List<Map<String, Long>> rounds) {
        List<Double> trips = new ArrayList<>();
        List<Double> evalsha = new ArrayList<>();
        List<Double> inside = new ArrayList<>();
        for (Map<String, Long> d : rounds) {
            double calls = d.get("#calls");
            long t = 0;
            long in = 0;
            for (Map.Entry<String, Long> e : d.entrySet()) {
                if (e.getKey().equals("#calls")) {
                    continue;
                }
                if (SCRIPT_INTERNAL.contains(e.getKey())) {
                    in += e.getValue();
                } else {
                    t += e.getValue();
                }
            }
            trips.add(t / calls);
            evalsha.add(d.getOrDefault("evalsha", 0L) / calls);
            inside.add(in / calls);
        }
        return String.format(
                "%.2f (evalsha %.2f; %.1f commands inside scripts)", median(trips), median(evalsha), median(inside));
    }

    /** Commands only admit/record/pause/view.lua run (the hub never sends them itself). */
    private static final java.util.Set<String> SCRIPT_INTERNAL = java.util.Set.of(
            "time",
            "get",
            "set",
            "hget",
            "hset",
            "hgetall",
            "hdel",
            "hincrby",
            "pexpire",
            "zadd",
            "zcard",
            "zcount",
            "zrange",
            "zremrangebyscore",
            "del",
            "hmget",
            "incr",
            "expire",
            "zscore",
            "zrem",
            "zrangebyscore",
            "publish",
            "setex",
            "mget"); // the last two: the SCG peer's request_rate_limiter.lua

    private static double pairedDiff(Map<String, List<double[]>> pct, String target, String base, int index) {
        List<double[]> a = pct.get(target);
        List<double[]> b = pct.get(base);
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            d.add(a.get(i)[index] - b.get(i)[index]);
        }
        return median(d);
    }

    private static double med(List<double[]> v, int index) {
        return median(v.stream().map(x -> x[index]).toList());
    }

    /** The median of the values that are numbers (a disrupted round is NaN and left out). */
    static Double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values.stream().filter(v -> !v.isNaN()).toList());
        s.sort(Double::compare);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
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

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        report.append(s).append('\n');
    }

    private void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }
}
