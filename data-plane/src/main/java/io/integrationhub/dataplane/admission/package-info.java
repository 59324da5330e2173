/**
 * Admission of each attempt to a provider: the outgoing rate limit and the circuit breaker, decided
 * together, and the outcome recorded afterwards. The port ({@link Admission}) has an in-process
 * adapter here (standalone mode, and the fallback when shared state is unreachable); the shared
 * Valkey adapter sits beside it.
 *
 * <p>The shared adapter makes no Valkey round trip for a successful call. Valkey leases each
 * instance limiter permits ({@link Lease}, granted by admit.lua with the pause, breaker and retry
 * budget decided in the same call): a lease's permits are charged to the provider's window at
 * grant time and scored by their last possible use, so the limit holds in any rolling second
 * across instances whichever permits are used when; it is sized to the instance's recent rate (at
 * most half of what is left), lasts 200 ms, and goes back (unused permits freed, used ones
 * re-scored to their last use) with the instance's next request, at once when it is dropped, or
 * at close. What an instance caches (its lease, a clean breaker) is dropped on every transition,
 * pause and first failure, announced over pub/sub ({@link AdmissionEvents}); while the
 * subscription is down, every call asks Valkey as before leases. Names and keys come from the
 * shared contract in {@code io.integrationhub.registry.valkey}.
 */
package io.integrationhub.dataplane.admission;
