package io.integrationhub.dataplane.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.provider.ProviderConfig.Priority;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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

    /**
     * Admitted attempts in the rolling second, per module and per class: this instance's, or several
     * instances' summed ({@link #plus}), which is how they travel between instances ({@link #encode}).
     */
    public record Usage(Map<String, Integer> byModule, Map<Priority, Integer> byClass) {
        static final Usage NONE = new Usage(Map.of(), Map.of());

        public boolean isEmpty() {
            return byClass.values().stream().allMatch(count -> count == 0);
        }

        /** Both counted together; modules beyond {@link #MAX_MODULES} as {@code _other}. */
        public Usage plus(Usage other) {
            Map<String, Integer> modules = new HashMap<>(byModule);
            other.byModule.forEach((module, count) -> modules.merge(
                    module.equals(OTHER) || modules.containsKey(module) || named(modules) < MAX_MODULES
                            ? module
                            : OTHER,
                    count,
                    Integer::sum));
            Map<Priority, Integer> classes = new EnumMap<>(Priority.class);
            for (Priority priority : Priority.values()) {
                classes.put(priority, byClass.getOrDefault(priority, 0) + other.byClass.getOrDefault(priority, 0));
            }
            return new Usage(Map.copyOf(modules), Map.copyOf(classes));
        }

        /** The summary shared with the other instances: {"byClass": {...}, "byModule": {...}}. */
        public String encode() {
            ObjectNode doc = Json.mapper().createObjectNode();
            ObjectNode classes = doc.putObject("byClass");
            byClass.forEach((priority, count) -> classes.put(priority.wire(), count));
            ObjectNode modules = doc.putObject("byModule");
            byModule.forEach(modules::put);
            return doc.toString();
        }

        /**
         * Another instance's summary; empty when this build cannot read it (another version's, say), so
         * one odd entry leaves the rest of the sum standing.
         */
        public static Optional<Usage> decode(String summary) {
            try {
                JsonNode doc = Json.mapper().readTree(summary);
                Map<Priority, Integer> classes = new EnumMap<>(Priority.class);
                for (Priority priority : Priority.values()) {
                    classes.put(
                            priority, doc.path("byClass").path(priority.wire()).asInt(0));
                }
                Map<String, Integer> modules = new HashMap<>();
                doc.path("byModule")
                        .properties()
                        .forEach(e -> modules.put(e.getKey(), e.getValue().asInt(0)));
                return Optional.of(new Usage(Map.copyOf(modules), Map.copyOf(classes)));
            } catch (JsonProcessingException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
