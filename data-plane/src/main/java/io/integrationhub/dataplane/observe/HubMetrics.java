package io.integrationhub.dataplane.observe;

import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.auth.ModuleName;
import io.integrationhub.registry.dlq.DeadLetterRepository;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.valkey.BreakerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub's Prometheus metrics, one registry per hub (tests run several hubs in one JVM). Labels are
 * bounded: {@code provider} is a provider id (never a path), {@code outcome} one of
 * {@link CallOutcome}'s values, {@code result} a status class or failure kind.
 *
 * <pre>
 * integration_hub_calls_total{provider,module,outcome}      calls by how they ended, and for which module
 * integration_hub_call_duration_seconds{provider,outcome}   total latency (histogram), retries and waits included
 * integration_hub_upstream_duration_seconds{provider,result} latency of each upstream attempt (histogram)
 * integration_hub_call_attempts{provider}                   upstream attempts per call (histogram)
 * integration_hub_admission_wait_seconds{provider}          how long calls waited for a slot of the limit (histogram; maxQueueMs)
 * integration_hub_rate_limited_total{provider}              calls refused by the outgoing rate limit
 * integration_hub_concurrency_limited_total{provider}       calls refused by maxConcurrency
 * integration_hub_dlq_parked_total{provider}                calls parked in the dead letter queue
 * integration_hub_dlq_entries{provider,status}               dead letters not resolved yet (counted at scrape time)
 * integration_hub_circuit_state{provider}                   0 closed, 1 half-open, 2 open (shared state)
 *
 * At most INTEGRATION_METRICS_MAX_PROVIDERS provider ids appear as labels ({@link ProviderLabels});
 * later providers are counted together under provider="_other" (and have no circuit_state series);
 * at most MAX_MODULES modules, later ones under module="_other".
 * integration_hub_degraded                                  1 while this instance decides without Valkey
 * jvm_*, process_*, system_*                                JVM and process metrics
 * </pre>
 */
public final class HubMetrics implements AutoCloseable {
    /** Histogram buckets of call and attempt latency. */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
                Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
                Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)
    };

    private static final double[] ATTEMPT_BUCKETS = {1, 2, 3, 5, 10};
    /** The provider label of calls whose provider could not be resolved. */
    static final String UNKNOWN_PROVIDER = "unknown";
    /**
     * Modules with a label of their own: a platform has tens of them, and a token's {@code sub}
     * standing in for a missing {@code module} must not grow the scrape without bound.
     */
    static final int MAX_MODULES = 200;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Admission admission;
    private final ProviderLabels labels;
    private final ProviderLabels modules = new ProviderLabels(MAX_MODULES);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Provider> circuits = new ConcurrentHashMap<>();
    private final Map<CallKey, CallMeters> callMeters = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> attemptsPerCall = new ConcurrentHashMap<>();
    private final Map<Key, Timer> upstream = new ConcurrentHashMap<>();
    private final Map<String, Timer> waits = new ConcurrentHashMap<>();

    private static final Duration DLQ_DEPTH_MAX_AGE = Duration.ofSeconds(1);
    private final MultiGauge dlqDepth;
    private volatile java.util.function.Supplier<List<DeadLetterRepository.Depth>> dlqDepthSource;
    private volatile long dlqDepthCountedAt = System.nanoTime() - DLQ_DEPTH_MAX_AGE.toNanos();

    public HubMetrics(Admission admission) {
        this(admission, Integer.MAX_VALUE);
    }

    /** @param maxProviders provider ids exported as labels; the rest are aggregated (INTEGRATION_METRICS_MAX_PROVIDERS) */
    public HubMetrics(Admission admission, int maxProviders) {
        this.admission = admission;
        this.labels = new ProviderLabels(maxProviders);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        dlqDepth = MultiGauge.builder("integration.hub.dlq.entries")
                .description("Dead letters not resolved yet, by provider and status (pending, retrying, failed)")
                .register(registry);
        Gauge.builder("integration.hub.degraded", admission, a -> a.degraded() ? 1 : 0)
                .description("1 while this instance cannot reach the shared breaker/limiter state and decides alone")
                .register(registry);
    }

    /** Call records (parked calls, kept answers) waiting in the local spool while the registry is unreachable. */
    public void spool(java.util.function.IntSupplier pending, java.util.function.IntSupplier rejected) {
        // Strong references: Micrometer holds a gauge's object weakly, and a method reference is otherwise
        // collected at the next GC, leaving the gauge NaN.
        Gauge.builder("integration.hub.spool.pending", pending, value -> value.getAsInt())
                .strongReference(true)
                .description("Call records waiting in this instance's local spool for the registry")
                .register(registry);
        Gauge.builder("integration.hub.spool.rejected", rejected, value -> value.getAsInt())
                .strongReference(true)
                .description("Spooled call records that could not be written and wait in rejected/ for an operator")
                .register(registry);
    }

    /**
     * The meters of one (provider, module, outcome), looked up once: no builder or id allocation per
     * call. The duration is one timer per (provider, outcome), shared by every module.
     */
    private record CallMeters(Counter calls, Timer duration) {}

    private record Key(String provider, String label) {}

    private record CallKey(String provider, String module, String label) {}

    /** A call for {@code module} (null: {@link ModuleName#UNKNOWN}) ended. */
    void call(String providerId, String module, CallOutcome outcome, int attempts, Duration total) {
        String provider = providerId == null ? UNKNOWN_PROVIDER : labels.of(providerId);
        String moduleLabel = modules.of(module == null ? ModuleName.UNKNOWN : module);
        CallMeters meters = callMeters.computeIfAbsent(
                new CallKey(provider, moduleLabel, outcome.label()),
                key -> new CallMeters(
                        Counter.builder("integration.hub.calls")
                                .description("Calls by how they ended, per provider and module")
                                .tag("provider", key.provider())
                                .tag("module", key.module())
                                .tag("outcome", key.label())
                                .register(registry),
                        Timer.builder("integration.hub.call.duration")
                                .description("Total call latency, retries and backoff included")
                                .tag("provider", key.provider())
                                .tag("outcome", key.label())
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry)));
        meters.calls().increment();
        meters.duration().record(total);
        if (providerId != null) {
            attemptsPerCall
                    .computeIfAbsent(
                            provider,
                            id -> DistributionSummary.builder("integration.hub.call.attempts")
                                    .description("Upstream attempts per call")
                                    .tag("provider", id)
                                    .serviceLevelObjectives(ATTEMPT_BUCKETS)
                                    .register(registry))
                    .record(attempts);
        }
        if (outcome.equals(CallOutcome.RATE_LIMITED)) {
            count("integration.hub.rate.limited", "Calls refused by the outgoing rate limit", provider);
        } else if (outcome.equals(CallOutcome.CONCURRENCY_LIMITED)) {
            count("integration.hub.concurrency.limited", "Calls refused by maxConcurrency", provider);
        }
    }

    /** A failed call was parked in the dead letter queue. */
    void parked(String providerId) {
        count("integration.hub.dlq.parked", "Calls parked in the dead letter queue", labels.of(providerId));
    }

    /**
     * A call moved on along its route ({@code integration_hub_failovers_total}): providers are
     * labelled as everywhere else (capped), {@code reason} is one of five fixed values.
     */
    void failover(String fromId, String toId, String reason) {
        Counter.builder("integration.hub.failovers")
                .description("Calls that moved on to the next provider of their route")
                .tag("from", labels.of(fromId))
                .tag("to", labels.of(toId))
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** A call waited for a slot of the provider's limit (admitted or, its time up, refused). */
    void waited(String providerId, Duration waited) {
        waits.computeIfAbsent(
                        labels.of(providerId),
                        provider -> Timer.builder("integration.hub.admission.wait")
                                .description(
                                        "How long calls waited for a slot of the provider's rate limit (config.maxQueueMs)")
                                .tag("provider", provider)
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry))
                .record(waited);
    }

    /** One upstream attempt ended: {@code result} is the status class ({@code 2xx}...) or the failure kind. */
    void attempt(String providerId, String result, Duration latency) {
        upstream.computeIfAbsent(
                        new Key(labels.of(providerId), result),
                        key -> Timer.builder("integration.hub.upstream.duration")
                                .description("Latency of each upstream attempt")
                                .tag("provider", key.provider())
                                .tag("result", key.label())
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry))
                .record(latency);
    }

    /** A provider was called: from now on its breaker state is exported. */
    void provider(Provider provider) {
        if (labels.hasOwn(provider.id()) && circuits.put(provider.id(), provider) == null) {
            Gauge.builder("integration.hub.circuit.state", circuits, all -> circuitState(all.get(provider.id())))
                    .description("Circuit breaker state as shared by all instances: 0 closed, 1 half-open, 2 open")
                    .tag("provider", provider.id())
                    .register(registry);
        }
    }

    private double circuitState(Provider provider) {
        if (provider == null) {
            return Double.NaN;
        }
        try {
            return BreakerState.ofStored(admission.breaker(provider).state())
                    .map(state -> switch (state) {
                        case CLOSED -> 0.0;
                        case HALF_OPEN -> 1.0;
                        case OPEN -> 2.0;
                    })
                    .orElse(Double.NaN);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void count(String name, String description, String provider) {
        Counter.builder(name)
                .description(description)
                .tag("provider", provider)
                .register(registry)
                .increment();
    }

    /**
     * Counts the DLQ depth with {@code source} when a scrape finds the last count older than a
     * second (a scrape, not every call, pays for the query); while the registry is unreachable the
     * last count stays.
     */
    /** The data path's memory budget: bytes held now and the capacity (INTEGRATION_MEMORY_BUDGET_BYTES). */
    public void memoryBudget(io.integrationhub.dataplane.body.MemoryBudget budget) {
        Gauge.builder("integration.hub.body.memory.used", budget, b -> b.used())
                .baseUnit("bytes")
                .description("Bytes of bodies and answers this instance holds in memory for calls in flight")
                .register(registry);
        Gauge.builder("integration.hub.body.memory.capacity", budget, b -> b.capacity())
                .baseUnit("bytes")
                .description("The memory budget for bodies in flight (INTEGRATION_MEMORY_BUDGET_BYTES)")
                .register(registry);
    }

    public void dlqDepth(java.util.function.Supplier<List<DeadLetterRepository.Depth>> source) {
        this.dlqDepthSource = source;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        refreshDlqDepth();
        return registry.scrape();
    }

    private void refreshDlqDepth() {
        var source = dlqDepthSource;
        long now = System.nanoTime();
        if (source == null || now - dlqDepthCountedAt < DLQ_DEPTH_MAX_AGE.toNanos()) {
            return;
        }
        try {
            Map<Tags, Long> rows = new java.util.LinkedHashMap<>();
            for (DeadLetterRepository.Depth depth : source.get()) {
                rows.merge(
                        Tags.of("provider", labels.of(depth.providerId()), "status", depth.status()),
                        (long) depth.entries(),
                        Long::sum);
            }
            dlqDepth.register(
                    rows.entrySet().stream()
                            .map(row -> MultiGauge.Row.of(row.getKey(), row.getValue()))
                            .toList(),
                    true);
            dlqDepthCountedAt = now;
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(HubMetrics.class.getName())
                    .fine("dlq depth not counted: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
