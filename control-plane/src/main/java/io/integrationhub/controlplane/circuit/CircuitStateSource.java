package io.integrationhub.controlplane.circuit;

import io.integrationhub.crds.status.CircuitState;

/** Where the operator learns a provider's circuit breaker state. Never throws: failures read as Unknown. */
public interface CircuitStateSource extends AutoCloseable {
    /** Used when no Valkey is configured: the operator cannot see the breakers. */
    CircuitStateSource UNKNOWN = providerId -> CircuitState.Unknown;

    CircuitState stateOf(String providerId);

    @Override
    default void close() {}
}
