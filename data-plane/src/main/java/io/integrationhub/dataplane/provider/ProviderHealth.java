package io.integrationhub.dataplane.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.admission.Waiters;
import io.integrationhub.dataplane.call.CallStats;
import io.integrationhub.dataplane.call.ModuleUsage;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig.Priority;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A provider's health as the hub sees it: the shared breaker (state, consecutive failures, time
 * until half-open), the limiter's budget in the current second, and this instance's recent error
 * rate and latency percentiles, and who used the limit in the last second across the instances
 * (per module and class; this instance's alone when usage is not shared) with how many calls wait
 * for a slot here.
 */
public final class ProviderHealth {
    private final Admission admission;
    private final CallStats stats;
    private final int defaultRateLimitPerSec;
    private final Waiters waiters;

    public ProviderHealth(Admission admission, CallStats stats, int defaultRateLimitPerSec, Waiters waiters) {
        this.admission = admission;
        this.stats = stats;
        this.defaultRateLimitPerSec = defaultRateLimitPerSec;
        this.waiters = waiters;
    }

    public ObjectNode of(Provider provider) {
        Admission.BreakerView breaker = admission.breaker(provider);
        int limit = provider.config().effectiveRateLimitPerSec(defaultRateLimitPerSec);
        CallStats.Snapshot recent = stats.snapshot(provider.id());
        ObjectNode doc = Json.mapper()
                .createObjectNode()
                .put("providerId", provider.id())
                .put("name", provider.name())
                .put("status", provider.status().name().toLowerCase(java.util.Locale.ROOT))
                .put("degraded", admission.degraded());
        doc.putObject("breaker")
                .put("state", breaker.state())
                .put("consecutiveFailures", breaker.consecutiveFailures())
                .put("secondsUntilHalfOpen", Math.ceil(breaker.untilHalfOpen().toMillis() / 1000.0));
        doc.putObject("limiter")
                .put("limitPerSec", limit)
                .put("callsInLastSecond", breaker.callsInLastSecond())
                .put("remaining", Math.max(0, limit - breaker.callsInLastSecond()));
        // Who used the limit: this instance's count now, plus what the other instances shared in the last
        // second or two (UsageSharing); this instance's alone when usage is not shared (one JVM, degraded).
        ModuleUsage.Usage usage = stats.usage(provider.id());
        Optional<List<String>> others = admission.shareUsage(provider.id(), "");
        int instances = 1;
        if (others.isPresent()) {
            for (String summary : others.get()) {
                Optional<ModuleUsage.Usage> theirs = ModuleUsage.Usage.decode(summary);
                if (theirs.isPresent()) {
                    usage = usage.plus(theirs.get());
                    instances++;
                }
            }
        }
        ObjectNode shares = doc.putObject("usage")
                .put("scope", others.isPresent() ? "cluster" : "instance")
                .put("instances", instances)
                .put("window", "PT1S")
                .put("waiting", waiters.waiting(provider.id()));
        ObjectNode byClass = shares.putObject("byClass");
        for (Priority priority : Priority.values()) {
            byClass.put(priority.wire(), usage.byClass().getOrDefault(priority, 0));
        }
        ObjectNode byModule = shares.putObject("byModule");
        new TreeMap<>(usage.byModule()).forEach(byModule::put);
        // How long calls stood in line here for a slot (config.maxQueueMs), admitted or not.
        CallStats.Snapshot waits = stats.waits(provider.id());
        shares.putObject("waited")
                .put("window", CallStats.WINDOW.toString())
                .put("calls", waits.attempts())
                .put("p50Ms", waits.p50())
                .put("p99Ms", waits.p99());
        ObjectNode window = doc.putObject("recent")
                .put("window", CallStats.WINDOW.toString())
                .put("attempts", recent.attempts())
                .put("errorRate", recent.errorRate());
        window.putObject("latencyMs")
                .put("p50", recent.p50())
                .put("p95", recent.p95())
                .put("p99", recent.p99());
        return doc;
    }
}
