/**
 * The circuit state shown in a Provider's status: read from the data plane's shared breaker state
 * in Valkey (the data plane never watches Kubernetes; the operator looks at what it wrote). The
 * port is {@link io.integrationhub.controlplane.circuit.CircuitStateSource}; adapters are lettuce
 * for Valkey/Redis and a constant {@code Unknown} when no Valkey is configured.
 */
package io.integrationhub.controlplane.circuit;
