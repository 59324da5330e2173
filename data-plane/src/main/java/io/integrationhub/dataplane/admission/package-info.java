/**
 * Admission of each attempt to a provider: the outgoing rate limit and the circuit breaker, decided
 * together, and the outcome recorded afterwards. The port ({@link Admission}) has an in-process
 * adapter here (standalone mode, and the fallback when shared state is unreachable); the shared
 * Valkey adapter sits beside it.
 */
package io.integrationhub.dataplane.admission;
