package io.integrationhub.dataplane.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.call.CallStats;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.provider.Provider;

/**
 * A provider's health as the hub sees it: the shared breaker (state, consecutive failures, time
 * until half-open), the limiter's budget in the current second, and this instance's recent error
 * rate and latency percentiles.
 */
public final class ProviderHealth {
    private final Admission admission;
    private final CallStats stats;
    private final int defaultRateLimitPerSec;

    public ProviderHealth(Admission admission, CallStats stats, int defaultRateLimitPerSec) {
        this.admission = admission;
        this.stats = stats;
        this.defaultRateLimitPerSec = defaultRateLimitPerSec;
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
