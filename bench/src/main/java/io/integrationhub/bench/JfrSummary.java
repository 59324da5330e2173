package io.integrationhub.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the hub under load: where CPU samples land (self and inclusive,
 * by method) and who allocates (sampled bytes by allocating method and by class). Usage:
 * {@code java -cp ... io.integrationhub.bench.JfrSummary hub.jfr [top]}.
 */
public final class JfrSummary {
    private JfrSummary() {}

    public static void main(String[] args) throws IOException {
        summarize(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 25, System.out);
    }

    public static void summarize(Path recording, int top, PrintStream out) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> hubSelf = new HashMap<>();
        Map<String, Long> allocBySite = new HashMap<>();
        Map<String, Long> allocByClass = new HashMap<>();
        Map<String, Long> allocByHubSite = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        long gcPauseNanos = 0;
        long gcs = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    List<RecordedFrame> frames = frames(e.getStackTrace());
                    if (frames.isEmpty()) {
                        continue;
                    }
                    samples++;
                    self.merge(name(frames.get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : frames) {
                        String n = name(f);
                        if (seen.add(n)) {
                            inclusive.merge(n, 1L, Long::sum);
                        }
                    }
                    hubSelf.merge(firstHubFrame(frames), 1L, Long::sum);
                }
                case "jdk.ObjectAllocationSample" -> {
                    long weight = e.getLong("weight");
                    allocated += weight;
                    List<RecordedFrame> frames = frames(e.getStackTrace());
                    allocByClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
                    if (!frames.isEmpty()) {
                        allocBySite.merge(name(frames.get(0)), weight, Long::sum);
                        allocByHubSite.merge(firstHubFrame(frames), weight, Long::sum);
                    }
                }
                case "jdk.GarbageCollection" -> {
                    gcs++;
                    gcPauseNanos += e.getDuration("sumOfPauses").toNanos();
                }
                default -> {}
            }
        }
        out.printf(
                "JFR %s: %d execution samples, %.1f MiB sampled allocation weight, %d GCs, %.1f ms GC pauses%n",
                recording.getFileName(), samples, allocated / 1048576.0, gcs, gcPauseNanos / 1e6);
        print(out, "CPU samples by method (self)", self, samples, top, "samples");
        print(out, "CPU samples by method (inclusive: on the stack)", inclusive, samples, top, "samples");
        print(out, "CPU samples by the innermost io.integrationhub frame", hubSelf, samples, top, "samples");
        print(out, "Allocation by allocating method", allocBySite, allocated, top, "bytes");
        print(out, "Allocation by class", allocByClass, allocated, top, "bytes");
        print(out, "Allocation by the innermost io.integrationhub frame", allocByHubSite, allocated, top, "bytes");
    }

    private static void print(
            PrintStream out, String title, Map<String, Long> counts, long total, int top, String unit) {
        out.println();
        out.println("== " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> out.printf(
                        "%6.2f%%  %12d %s  %s%n",
                        100.0 * e.getValue() / Math.max(1, total), e.getValue(), unit, e.getKey()));
    }

    private static List<RecordedFrame> frames(RecordedStackTrace stack) {
        return stack == null ? List.of() : stack.getFrames();
    }

    private static String firstHubFrame(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            if (f.getMethod() != null && f.getMethod().getType().getName().startsWith("io.integrationhub.")) {
                return name(f);
            }
        }
        return "(no hub frame: " + rootish(frames) + ")";
    }

    /** The outermost recognisable owner of a stack without hub frames (e.g. lettuce, helidon). */
    private static String rootish(List<RecordedFrame> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            RecordedFrame f = frames.get(i);
            if (f.getMethod() != null) {
                String t = f.getMethod().getType().getName();
                if (!t.startsWith("java.") && !t.startsWith("jdk.") && !t.startsWith("sun.")) {
                    String[] parts = t.split("\\.");
                    return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : t;
                }
            }
        }
        return "jdk";
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
