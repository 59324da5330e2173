package io.integrationhub.crds.status;

/**
 * The provider's circuit breaker as the data plane sees it (shared state in Valkey). {@code Unknown}
 * when the operator has no view of it (no Valkey configured, unreachable, or no row yet).
 */
public enum CircuitState {
    Closed,
    Open,
    HalfOpen,
    Unknown
}
