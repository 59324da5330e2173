package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.Provider;

/** Told of every breaker transition, to publish {@code circuit.opened|half_opened|closed} events. */
@FunctionalInterface
public interface BreakerListener {
    BreakerListener NONE = (provider, transition) -> { };

    /** @param transition {@code opened}, {@code half_opened} or {@code closed} */
    void transitioned(Provider provider, String transition);
}
