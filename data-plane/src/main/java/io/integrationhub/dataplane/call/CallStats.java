package io.integrationhub.dataplane.call;

import io.integrationhub.registry.provider.ProviderConfig.Priority;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent attempts per provider on this instance (the last {@value #CAPACITY} within
 * {@link #WINDOW}): error rate and latency percentiles for the provider health answer; likewise the
 * recent waits for a slot of the limit, and who was admitted in the last second ({@link ModuleUsage}).
 */
public final class CallStats {
    public static final Duration WINDOW = Duration.ofMinutes(5);
    static final int CAPACITY = 1024;

    private final Clock clock;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private final Map<String, ModuleUsage> usage = new ConcurrentHashMap<>();
    private final Map<String, Ring> waits = new ConcurrentHashMap<>();

    public CallStats(Clock clock) {
        this.clock = clock;
    }

    void attempt(String providerId, Duration latency, boolean failed) {
        rings.computeIfAbsent(providerId, id -> new Ring()).add(clock.millis(), latency.toMillis(), failed);
    }

    /** A call stood this long in the provider's line for a slot (admitted or, its time up, refused). */
    void waited(String providerId, Duration waited) {
        waits.computeIfAbsent(providerId, id -> new Ring()).add(clock.millis(), waited.toMillis(), false);
    }

    /** The calls that waited for a slot of the provider's limit on this instance in the window, and how long. */
    public Snapshot waits(String providerId) {
        Ring ring = waits.get(providerId);
        return ring == null ? new Snapshot(0, 0, 0, 0, 0) : ring.snapshot(clock.millis() - WINDOW.toMillis());
    }

    /** An attempt of the module's, of this class at the provider, was admitted. */
    void admitted(String providerId, String module, Priority priority) {
        usage.computeIfAbsent(providerId, id -> new ModuleUsage()).admitted(clock.millis(), module, priority);
    }

    /** This instance's admitted attempts to the provider in the rolling second, per module and class. */
    public ModuleUsage.Usage usage(String providerId) {
        ModuleUsage provider = usage.get(providerId);
        return provider == null ? ModuleUsage.Usage.NONE : provider.usage(clock.millis());
    }

    /** The providers this instance has admitted attempts to since it started. */
    java.util.Set<String> providersAdmitted() {
        return usage.keySet();
    }

    public Snapshot snapshot(String providerId) {
        Ring ring = rings.get(providerId);
        return ring == null ? new Snapshot(0, 0, 0, 0, 0) : ring.snapshot(clock.millis() - WINDOW.toMillis());
    }

    /** Attempts in the window, the share that failed, and latency percentiles in milliseconds. */
    public record Snapshot(int attempts, double errorRate, long p50, long p95, long p99) {}

    private static final class Ring {
        private final long[] at = new long[CAPACITY];
        private final long[] latency = new long[CAPACITY];
        private final boolean[] failed = new boolean[CAPACITY];
        private int next;
        private int size;

        synchronized void add(long now, long millis, boolean failure) {
            at[next] = now;
            latency[next] = millis;
            failed[next] = failure;
            next = (next + 1) % CAPACITY;
            size = Math.min(size + 1, CAPACITY);
        }

        synchronized Snapshot snapshot(long since) {
            long[] latencies = new long[size];
            int count = 0;
            int failures = 0;
            for (int i = 0; i < size; i++) {
                if (at[i] >= since) {
                    latencies[count++] = latency[i];
                    failures += failed[i] ? 1 : 0;
                }
            }
            if (count == 0) {
                return new Snapshot(0, 0, 0, 0, 0);
            }
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return new Snapshot(
                    count,
                    (double) failures / count,
                    percentile(sorted, 50),
                    percentile(sorted, 95),
                    percentile(sorted, 99));
        }

        private static long percentile(long[] sorted, int p) {
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
