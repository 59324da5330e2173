package io.integrationhub.dataplane.call;

import io.integrationhub.registry.provider.ProviderConfig.Priority;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One provider's admitted attempts on this instance in the rolling second, per module and per
 * class: what provider health shows next to the shared limiter's total. Modules beyond
 * {@link #MAX_MODULES} are counted together as {@code _other}, so memory is bounded by the limit and
 * that number, whatever names callers bring.
 */
public final class ModuleUsage {
    static final int MAX_MODULES = 200;
    static final String OTHER = "_other";
    private static final long WINDOW_MILLIS = 1000;

    private record Admission(long at, String module, Priority priority) {}

    private final ArrayDeque<Admission> recent = new ArrayDeque<>();
    private final Map<String, Integer> live = new TreeMap<>();

    synchronized void admitted(long now, String module, Priority priority) {
        age(now);
        String label = live.containsKey(module) || live.size() < MAX_MODULES ? module : OTHER;
        recent.addLast(new Admission(now, label, priority));
        live.merge(label, 1, Integer::sum);
    }

    synchronized Usage usage(long now) {
        age(now);
        Map<Priority, Integer> byClass = new EnumMap<>(Priority.class);
        for (Priority priority : Priority.values()) {
            byClass.put(priority, 0);
        }
        recent.forEach(admission -> byClass.merge(admission.priority(), 1, Integer::sum));
        return new Usage(Map.copyOf(live), Map.copyOf(byClass));
    }

    private void age(long now) {
        while (!recent.isEmpty() && recent.peekFirst().at() <= now - WINDOW_MILLIS) {
            Admission gone = recent.pollFirst();
            live.computeIfPresent(gone.module(), (module, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Admitted attempts in the rolling second on this instance, per module and per class. */
    public record Usage(Map<String, Integer> byModule, Map<Priority, Integer> byClass) {
        static final Usage NONE = new Usage(Map.of(), Map.of());
    }
}
