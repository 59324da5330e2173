package io.integrationhub.controlplane.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the operator did, rendered in the Prometheus text format. Labels are reasons
 * and outcomes (a closed set), never resource names, so the series count stays bounded.
 */
public final class OperatorMetrics {
    private final Map<String, LongAdder> reconciliations = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> registryWrites = new ConcurrentSkipListMap<>();
    private final LongAdder errors = new LongAdder();

    /** A reconcile ended with this Ready reason ({@code Reconciled}, {@code InvalidSpec}, ...). */
    public void reconciled(String reason) {
        reconciliations.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** A registry row was written: create, update, reseal or delete. */
    public void registryWrite(String operation) {
        registryWrites.computeIfAbsent(operation, o -> new LongAdder()).increment();
    }

    /** A reconcile failed unexpectedly and will be retried. */
    public void error() {
        errors.increment();
    }

    public long reconciliations(String reason) {
        LongAdder counter = reconciliations.get(reason);
        return counter == null ? 0 : counter.sum();
    }

    /** The Prometheus text exposition (version 0.0.4). */
    public String render(Map<String, Boolean> gauges) {
        StringBuilder out = new StringBuilder();
        out.append(
                        "# HELP integration_hub_operator_reconciliations_total Reconciles of Provider resources by Ready reason.\n")
                .append("# TYPE integration_hub_operator_reconciliations_total counter\n");
        reconciliations.forEach((reason, n) -> out.append("integration_hub_operator_reconciliations_total{reason=\"")
                .append(reason)
                .append("\"} ")
                .append(n.sum())
                .append('\n'));
        out.append("# HELP integration_hub_operator_registry_writes_total Registry rows written by the operator.\n")
                .append("# TYPE integration_hub_operator_registry_writes_total counter\n");
        registryWrites.forEach((op, n) -> out.append("integration_hub_operator_registry_writes_total{operation=\"")
                .append(op)
                .append("\"} ")
                .append(n.sum())
                .append('\n'));
        out.append("# HELP integration_hub_operator_reconcile_errors_total Reconciles that failed and were retried.\n")
                .append("# TYPE integration_hub_operator_reconcile_errors_total counter\n")
                .append("integration_hub_operator_reconcile_errors_total ")
                .append(errors.sum())
                .append('\n');
        new TreeMap<>(gauges)
                .forEach((name, up) -> out.append("# TYPE ")
                        .append(name)
                        .append(" gauge\n")
                        .append(name)
                        .append(' ')
                        .append(up ? 1 : 0)
                        .append('\n'));
        return out.toString();
    }
}
