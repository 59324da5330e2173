package io.integrationhub.dataplane;

import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.DatabaseScan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a canary scan saw and found: journal entries by kind (the first word of their source:
 * {@code http}, {@code grpc}, {@code kafka}, {@code log}...), database rows by table, and every hit
 * (an entry or a stored value showing the canary in any of {@link Canary#forms()}).
 */
public record CanaryFindings(
        Map<String, Long> entriesByKind, int databases, Map<String, Long> rowsByTable, long values, List<String> hits) {

    /** Scans {@code journal} and gathers {@code scans} (already made). */
    public static CanaryFindings of(List<Canary.Entry> journal, List<DatabaseScan> scans) {
        Map<String, Long> kinds = new TreeMap<>();
        List<String> hits = new ArrayList<>();
        for (Canary.Entry entry : journal) {
            int space = entry.source().indexOf(' ');
            kinds.merge(space < 0 ? entry.source() : entry.source().substring(0, space), 1L, Long::sum);
            Canary.foundIn(entry.text()).ifPresent(form -> hits.add(entry.source() + " (" + form + ")"));
        }
        Map<String, Long> rows = new TreeMap<>();
        long values = 0;
        for (DatabaseScan scan : scans) {
            scan.rowsByTable().forEach((table, count) -> rows.merge(table, count, Long::sum));
            values += scan.values();
            hits.addAll(scan.hits());
        }
        return new CanaryFindings(Map.copyOf(kinds), scans.size(), Map.copyOf(rows), values, List.copyOf(hits));
    }

    public long entries(String kind) {
        return entriesByKind.getOrDefault(kind, 0L);
    }

    public long rows(String table) {
        return rowsByTable.getOrDefault(table, 0L);
    }

    public long rows() {
        return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line: what was scanned and how many hits. */
    public String summary() {
        long answers = entries("http") + entries("grpc") + entries("fuzz");
        return "canary scan: " + answers + " answers (http " + entries("http") + ", grpc " + entries("grpc") + ", fuzz "
                + entries("fuzz")
                + "), " + entries("kafka") + " kafka events, " + entries("log") + " log lines, " + databases
                + " databases / "
                + rowsByTable.size() + " tables / " + rows() + " rows / " + values + " values; hits: " + hits.size();
    }
}
