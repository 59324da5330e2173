package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.Provider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * {@code maxConcurrency}: in-flight calls per provider on this instance. A permit is held for the
 * whole call, retries included; the caller must release what it acquired.
 */
public final class ConcurrencyLimits {
    private record Key(String providerId, int max) {}

    private final Map<Key, Semaphore> permits = new ConcurrentHashMap<>();

    /** A permit, or null when the provider is at its limit. Providers without a limit always get one. */
    public Permit tryAcquire(Provider provider) {
        Integer max = provider.config().maxConcurrency();
        if (max == null) {
            return Permit.UNLIMITED;
        }
        Semaphore semaphore = permits.computeIfAbsent(new Key(provider.id(), max), key -> new Semaphore(key.max()));
        return semaphore.tryAcquire() ? semaphore::release : null;
    }

    /** Gives the permit back. */
    @FunctionalInterface
    public interface Permit {
        Permit UNLIMITED = () -> {};

        void release();
    }
}
