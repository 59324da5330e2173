package io.integrationhub.dataplane.call;

import io.integrationhub.registry.provider.ProviderConfig.Priority;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One provider's admitted attempts on this instance in the rolling second, per module and per
 * class: what provider health shows next to the shared limiter's total. The second is ten
 * 100-millisecond buckets, so counting an admission (on every attempt's path) takes no lock and
 * allocates nothing but a bucket every 100 ms; a reader sums the buckets of the last second.
 * Modules beyond {@link #MAX_MODULES} in a bucket are counted together as {@code _other}, so memory
 * is bounded by that number, whatever names callers bring.
 */
public final class ModuleUsage {
    static final int MAX_MODULES = 200;
    static final String OTHER = "_other";
    private static final long STEP_MILLIS = 100;
    private static final int STEPS = 10; // STEPS * STEP_MILLIS = the rolling second

    private final AtomicReferenceArray<Bucket> buckets = new AtomicReferenceArray<>(STEPS);

    void admitted(long now, String module, Priority priority) {
        bucket(now / STEP_MILLIS).count(module, priority);
    }

    Usage usage(long now) {
        long tick = now / STEP_MILLIS;
        Map<String, Integer> byModule = new HashMap<>();
        Map<Priority, Integer> byClass = new EnumMap<>(Priority.class);
        for (Priority priority : Priority.values()) {
            byClass.put(priority, 0);
        }
        for (int i = 0; i < STEPS; i++) {
            Bucket bucket = buckets.get(i);
            if (bucket == null || bucket.tick <= tick - STEPS || bucket.tick > tick) {
                continue;
            }
            bucket.byModule.forEach((module, count) -> byModule.merge(
                    module.equals(OTHER) || byModule.containsKey(module) || named(byModule) < MAX_MODULES
                            ? module
                            : OTHER,
                    count.intValue(),
                    Integer::sum));
            for (Priority priority : Priority.values()) {
                byClass.merge(priority, bucket.byClass[priority.ordinal()].intValue(), Integer::sum);
            }
        }
        return new Usage(Map.copyOf(byModule), Map.copyOf(byClass));
    }

    private static int named(Map<String, Integer> byModule) {
        return byModule.size() - (byModule.containsKey(OTHER) ? 1 : 0);
    }

    /** The bucket of this 100 ms step, replacing the one of ten steps ago that held its place. */
    private Bucket bucket(long tick) {
        int index = (int) (tick % STEPS);
        while (true) {
            Bucket current = buckets.get(index);
            if (current != null && current.tick == tick) {
                return current;
            }
            if (current != null && current.tick > tick) {
                return current; // a clock stepped back: count in the newer bucket rather than lose it
            }
            Bucket fresh = new Bucket(tick);
            if (buckets.compareAndSet(index, current, fresh)) {
                return fresh;
            }
        }
    }

    private static final class Bucket {
        final long tick;
        final ConcurrentHashMap<String, LongAdder> byModule = new ConcurrentHashMap<>();
        final LongAdder[] byClass = new LongAdder[Priority.values().length];
        final AtomicInteger names = new AtomicInteger();

        Bucket(long tick) {
            this.tick = tick;
            for (int i = 0; i < byClass.length; i++) {
                byClass[i] = new LongAdder();
            }
        }

        void count(String module, Priority priority) {
            LongAdder count = byModule.get(module);
            if (count == null) {
                String label = names.incrementAndGet() <= MAX_MODULES ? module : OTHER;
                count = byModule.computeIfAbsent(label, name -> new LongAdder());
            }
            count.increment();
            byClass[priority.ordinal()].increment();
        }
    }

    /** Admitted attempts in the rolling second on this instance, per module and per class. */
    public record Usage(Map<String, Integer> byModule, Map<Priority, Integer> byClass) {
        static final Usage NONE = new Usage(Map.of(), Map.of());
    }
}
