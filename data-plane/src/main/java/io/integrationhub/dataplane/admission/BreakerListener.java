package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.valkey.BreakerTransition;

/** Told of every breaker transition, to publish {@code circuit.opened|half_opened|closed} events. */
@FunctionalInterface
public interface BreakerListener {
    BreakerListener NONE = (provider, transition) -> {};

    void transitioned(Provider provider, BreakerTransition transition);
}
