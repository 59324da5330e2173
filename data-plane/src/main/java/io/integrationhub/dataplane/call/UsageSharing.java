package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.background.BackgroundLoop;
import java.time.Duration;

/**
 * Shares this instance's usage of each provider it called in the last second with the other
 * instances, once a {@link #EVERY}, so provider health can show who used a provider's limit across
 * all of them. Off the call path: one round trip per provider in use per second, whatever the call
 * rate; a provider this instance did not call in the last second is not shared (its entry lapses).
 */
public final class UsageSharing implements AutoCloseable {
    public static final Duration EVERY = Duration.ofSeconds(1);

    private final CallStats stats;
    private final Admission admission;
    private final BackgroundLoop loop;

    public UsageSharing(CallStats stats, Admission admission) {
        this.stats = stats;
        this.admission = admission;
        this.loop = BackgroundLoop.named("usage-sharing")
                .firstAfter(EVERY)
                .every(EVERY)
                .whileFailing("provider health shows each instance's own usage only")
                .run(this::shareOnce);
    }

    /** One round of sharing (the loop's step; tests call it directly). */
    void shareOnce() {
        for (String providerId : stats.providersAdmitted()) {
            ModuleUsage.Usage usage = stats.usage(providerId);
            if (!usage.isEmpty()) {
                admission.shareUsage(providerId, usage.encode());
            }
        }
    }

    @Override
    public void close() {
        loop.closeAndWait(Duration.ofSeconds(2));
    }
}
