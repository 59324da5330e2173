/**
 * Durable idempotency records (Stripe / IETF Idempotency-Key semantics): written before the
 * upstream call, they turn a module's retry into a replay instead of a second charge.
 */
package io.integrationhub.registry.idempotency;
