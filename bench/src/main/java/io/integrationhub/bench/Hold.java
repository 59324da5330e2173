package io.integrationhub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A load hold ({@code bench/run.sh --hold}, issue 11): one target at a fixed rate for minutes, open
 * loop ({@link OpenLoop}: latency counted from each request's due time), cut into 10-second
 * intervals by completion time; per interval the latency percentiles, the answers that were not the
 * expected status, the hub's RSS, its heap after the last GC and its GC count. Then a verdict: is
 * latency flat (the last third of the intervals against the first third) and is memory flat (the
 * least-squares slope of heap-after-GC and of RSS over the whole hold)?
 */
final class Hold {
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /** Latency is flat when the last third's median interval p99 is at most 25 % above the first third's ... */
    static final double P99_TOLERANCE = 0.25;
    /** ... or at most 0.5 ms above it, whichever is larger (p99s of a millisecond or two vary by that much). */
    static final long P99_TOLERANCE_FLOOR_US = 500;
    /** Memory is flat when heap-after-GC grows by at most 1 MiB per minute (a leak that fills 256 MiB in about 3 h) ... */
    static final double HEAP_SLOPE_MIB_PER_MIN = 1.0;
    /** ... and RSS by at most 2 MB per minute (the ~100 MB between RSS under load and DESIGN §10's 400 MB in under an hour). */
    static final double RSS_SLOPE_MB_PER_MIN = 2.0;

    private static final int WORKERS = 64;

    /** One interval; latencies in us, RSS in MB, heap in MiB; {@code heapFloorMib}: the lowest heap after a GC in it. */
    record Interval(
            double endSeconds,
            double seconds,
            long answers,
            long p50,
            long p99,
            long p999,
            long max,
            long unexpected,
            double rssMb,
            long heapAfterGcMib,
            long heapFloorMib,
            long gcs,
            long gcsTotal) {}

    /** Every interval and the whole hold's result (totals, and the latency of the whole run). */
    record Outcome(HttpTarget target, int rate, List<Interval> intervals, OpenLoop.Result total) {}

    private Hold() {}

    /** Drives {@code target} at {@code rate} for {@code seconds} (whole intervals), reading {@code hub} every interval. */
    static Outcome run(HubProcess hub, HttpTarget target, int rate, int seconds, Consumer<String> progress)
            throws InterruptedException, ExecutionException {
        int n = (int) (seconds / INTERVAL.toSeconds());
        if (n < 3) {
            throw new IllegalArgumentException(
                    "a hold needs at least 3 intervals of " + INTERVAL.toSeconds() + " s, but was " + seconds + " s");
        }
        Recorder expected = new Recorder(OpenLoop.HIGHEST, 3);
        LongAdder unexpected = new LongAdder();
        AtomicLong startNanos = new AtomicLong();
        CountDownLatch started = new CountDownLatch(1);
        OpenLoop.Listener listener = new OpenLoop.Listener() {
            @Override
            public void started(long start) {
                startNanos.set(start);
                started.countDown();
            }

            @Override
            public void answered(int status, long micros) {
                if (status == target.expectedStatus()) {
                    expected.recordValue(micros);
                } else {
                    unexpected.increment();
                }
            }
        };
        FutureTask<OpenLoop.Result> load = new FutureTask<>(
                () -> OpenLoop.run(target, rate, INTERVAL.multipliedBy(n), WORKERS, Long.MAX_VALUE, listener));
        Thread.ofPlatform().daemon().name("hold-load").start(load);
        while (!started.await(1, TimeUnit.SECONDS)) {
            if (load.isDone()) {
                load.get(); // the generator failed before its clock started: throws why
                throw new IllegalStateException("the load generator ended before it started");
            }
        }
        long start = startNanos.get();
        long gcsBefore = hub.gcHeapMib().size();
        long lastAfter = -1;
        long previousEnd = start;
        OpenLoop.Result total = null;
        List<Interval> intervals = new ArrayList<>();
        progress.accept(String.format(
                Locale.ROOT,
                "hold: %s at %d req/s for %d s, %d s intervals",
                target.name(),
                rate,
                n * INTERVAL.toSeconds(),
                INTERVAL.toSeconds()));
        for (int k = 1; k <= n; k++) {
            if (k < n) {
                sleepUntil(start + k * INTERVAL.toNanos());
            } else {
                total = load.get(); // the last interval also takes the answers still in flight at the end
            }
            long now = System.nanoTime();
            Histogram h = expected.getIntervalHistogram();
            long bad = unexpected.sumThenReset();
            long[] rss = hub.rssKib();
            List<long[]> gcs = hub.gcHeapMib();
            long gcsTotal = gcs.size() - gcsBefore;
            long gcsHere =
                    gcsTotal - (intervals.isEmpty() ? 0 : intervals.getLast().gcsTotal());
            long floor = Long.MAX_VALUE;
            for (long[] gc : gcs.subList(gcs.size() - (int) gcsHere, gcs.size())) {
                floor = Math.min(floor, gc[1]);
            }
            if (!gcs.isEmpty()) {
                lastAfter = gcs.getLast()[1];
            }
            Interval i = new Interval(
                    (now - start) / 1e9,
                    (now - previousEnd) / 1e9,
                    h.getTotalCount(),
                    h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9),
                    h.getMaxValue(),
                    bad,
                    rss[0] * 1024 / 1e6,
                    lastAfter,
                    gcsHere == 0 ? lastAfter : floor,
                    gcsHere,
                    gcsTotal);
            intervals.add(i);
            previousEnd = now;
            progress.accept(row(i));
        }
        return new Outcome(target, rate, intervals, total);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    static String header() {
        return "   t (s)    req/s   p50 us   p99 us  p99.9 us   max us  not 2xx   RSS MB  heap after last GC MiB (lowest)  GCs (total)";
    }

    static String row(Interval i) {
        return String.format(
                Locale.ROOT,
                "   %5.0f  %7.0f  %7d  %7d  %8d  %7d  %7d  %7.0f  %22d (%4d)  %5d (%5d)",
                i.endSeconds(),
                i.answers() / i.seconds(),
                i.p50(),
                i.p99(),
                i.p999(),
                i.max(),
                i.unexpected(),
                i.rssMb(),
                i.heapAfterGcMib(),
                i.heapFloorMib(),
                i.gcs(),
                i.gcsTotal());
    }

    /** The per-interval table, the whole hold and the verdicts, as lines. */
    static List<String> report(Outcome o) {
        List<String> out = new ArrayList<>();
        List<Interval> v = o.intervals();
        out.add(header());
        v.forEach(i -> out.add(row(i)));
        Histogram all = o.total().status(o.target().expectedStatus());
        long unanswered = o.total().due() - o.total().completed() - o.total().count(-1);
        long unexpected = o.total().unexpected(o.target().expectedStatus()); // I/O errors (-1) included
        out.add(String.format(
                Locale.ROOT,
                "   whole hold: p50 %d us, p99 %d us, p99.9 %d us, max %d us; %d requests due, %d answered %d,"
                        + " %d otherwise%s, %d unanswered",
                all.getValueAtPercentile(50),
                all.getValueAtPercentile(99),
                all.getValueAtPercentile(99.9),
                all.getMaxValue(),
                o.total().due(),
                all.getTotalCount(),
                o.target().expectedStatus(),
                unexpected,
                unexpected == 0
                        ? ""
                        : " (by status, -1 an I/O error: " + o.total().statusSummary() + ")",
                unanswered));
        out.add("");

        int third = Math.max(1, v.size() / 3);
        List<Interval> first = v.subList(0, third);
        List<Interval> last = v.subList(v.size() - third, v.size());
        double p50First = median(first, Interval::p50);
        double p50Last = median(last, Interval::p50);
        double p99First = median(first, Interval::p99);
        double p99Last = median(last, Interval::p99);
        double allowed = Math.max(p99First * (1 + P99_TOLERANCE), p99First + P99_TOLERANCE_FLOOR_US);
        double heapSlope = slopePerMinute(v, Interval::heapAfterGcMib);
        double floorSlope = slopePerMinute(v, Interval::heapFloorMib);
        double rssSlope = slopePerMinute(v, Interval::rssMb);
        boolean latencyFlat = p99Last <= allowed;
        boolean heapFlat = heapSlope <= HEAP_SLOPE_MIB_PER_MIN;
        boolean rssFlat = rssSlope <= RSS_SLOPE_MB_PER_MIN;
        boolean clean = unexpected == 0 && unanswered == 0;
        String thirds =
                String.format(Locale.ROOT, "(thirds: intervals 1-%d and %d-%d)", third, v.size() - third + 1, v.size());
        out.add(String.format(Locale.ROOT, "   %-19s %-86s %-42s %s", "verdict", "measured", "flat when", ""));
        out.add(String.format(
                Locale.ROOT,
                "   %-19s %-86s %-42s %s",
                "latency p99",
                String.format(
                        Locale.ROOT,
                        "median interval p99: first third %.0f us, last third %.0f us (x%.2f)",
                        p99First,
                        p99Last,
                        p99Last / p99First),
                String.format(
                        Locale.ROOT,
                        "last <= first x%.2f or +%.1f ms (%.0f us)",
                        1 + P99_TOLERANCE,
                        P99_TOLERANCE_FLOOR_US / 1000.0,
                        allowed),
                latencyFlat ? "FLAT" : "RISES"));
        out.add(String.format(
                Locale.ROOT,
                "   %-19s %-86s %-42s %s",
                "latency p50",
                String.format(
                        Locale.ROOT,
                        "median interval p50: first third %.0f us, last third %.0f us (x%.2f)",
                        p50First,
                        p50Last,
                        p50Last / p50First),
                "(shown, not judged)",
                ""));
        out.add(String.format(
                Locale.ROOT,
                "   %-19s %-86s %-42s %s",
                "heap after last GC",
                String.format(
                        Locale.ROOT,
                        "first %d MiB, last %d MiB; slope %+.2f MiB/min (lowest per interval: %+.2f)",
                        v.getFirst().heapAfterGcMib(),
                        v.getLast().heapAfterGcMib(),
                        heapSlope,
                        floorSlope),
                String.format(Locale.ROOT, "slope <= %.1f MiB/min", HEAP_SLOPE_MIB_PER_MIN),
                heapFlat ? "FLAT" : "RISES"));
        out.add(String.format(
                Locale.ROOT,
                "   %-19s %-86s %-42s %s",
                "RSS",
                String.format(
                        Locale.ROOT,
                        "first %.0f MB, last %.0f MB; slope %+.2f MB/min",
                        v.getFirst().rssMb(),
                        v.getLast().rssMb(),
                        rssSlope),
                String.format(Locale.ROOT, "slope <= %.1f MB/min", RSS_SLOPE_MB_PER_MIN),
                rssFlat ? "FLAT" : "RISES"));
        out.add(String.format(
                Locale.ROOT,
                "   %-19s %-86s %-42s %s",
                "errors",
                String.format(
                        Locale.ROOT,
                        "%d answers not %d, %d unanswered",
                        unexpected,
                        o.target().expectedStatus(),
                        unanswered),
                "none",
                clean ? "NONE" : "SOME"));
        out.add(String.format(
                Locale.ROOT,
                "   %-19s %s %s",
                "hold",
                latencyFlat && heapFlat && rssFlat && clean ? "PASS: latency and memory flat, no errors" : "FAIL",
                thirds + "; slopes: least squares over all " + v.size() + " intervals, per minute of hold"));
        return out;
    }

    private static double median(List<Interval> v, ToDoubleFunction<Interval> f) {
        return BenchMain.median(v.stream().map(f::applyAsDouble).toList());
    }

    /** Least-squares slope of f over the intervals' end times, per minute. */
    static double slopePerMinute(List<Interval> v, ToDoubleFunction<Interval> f) {
        double n = v.size();
        double sx = 0;
        double sy = 0;
        for (Interval i : v) {
            sx += i.endSeconds() / 60;
            sy += f.applyAsDouble(i);
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        for (Interval i : v) {
            double dx = i.endSeconds() / 60 - mx;
            sxy += dx * (f.applyAsDouble(i) - my);
            sxx += dx * dx;
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
