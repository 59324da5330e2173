package io.integrationhub.dataplane.provider;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.egress.InsecureHttpGuard;
import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderNotFoundException;
import io.integrationhub.registry.provider.ProviderRepository;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Providers as the call pipeline resolves them: from memory, invalidated by the registry's change
 * notifications (a change through any instance reaches every instance within about a second).
 * While the notification channel is down the cache is bypassed, so a missed notification can never
 * serve a stale provider; a TTL backs that up.
 */
public final class ProviderCache {
    private static final Duration TTL = Duration.ofSeconds(60);

    private record Entry(Provider provider, long loadedAt) {}

    private final ProviderRepository repository;
    private final Clock clock;
    private final InsecureHttpGuard insecureHttp;
    private final Map<String, Entry> byReference = new ConcurrentHashMap<>();
    private volatile boolean notificationsLive;

    public ProviderCache(ProviderRepository repository, Clock clock, InsecureHttpGuard insecureHttp) {
        this.repository = repository;
        this.clock = clock;
        this.insecureHttp = insecureHttp;
    }

    /**
     * A live provider of the tenant by id or name; 404 when there is none, 403 when its URL is plain
     * http and that is not allowed now (the egress refuses it anyway; this says why, before any work).
     */
    public Provider resolve(String tenantId, String reference) {
        return callable(find(tenantId, reference));
    }

    private Provider callable(Provider provider) {
        URI url = URI.create(provider.baseUrl());
        if (!insecureHttp.permits(url.getScheme())) {
            throw new ApiException(ProblemType.INSECURE_HTTP_NOT_ALLOWED, InsecureHttpGuard.refusal(url.getHost()))
                    .extension("setting", InsecureHttpGuard.SETTING);
        }
        return provider;
    }

    private Provider find(String tenantId, String reference) {
        String key = tenantId + '\u0000' + reference;
        long now = clock.millis();
        Entry entry = byReference.get(key);
        if (entry != null && notificationsLive && now - entry.loadedAt() < TTL.toMillis()) {
            return entry.provider();
        }
        Provider provider =
                repository.find(tenantId, reference).orElseThrow(() -> new ProviderNotFoundException(reference));
        if (notificationsLive) {
            byReference.put(key, new Entry(provider, now));
        }
        return provider;
    }

    /** A live provider by id, for replays (not cached: replays are rare). */
    public java.util.Optional<Provider> findById(String tenantId, String id) {
        return repository.find(tenantId, id).filter(provider -> provider.id().equals(id));
    }

    /** A provider changed somewhere: forget it under every reference. */
    public void invalidate(String providerId) {
        byReference.values().removeIf(entry -> entry.provider().id().equals(providerId));
    }

    /** The notification channel is (re)connected or lost; either way nothing cached may be trusted. */
    public void notificationsLive(boolean live) {
        notificationsLive = live;
        byReference.clear();
    }
}
