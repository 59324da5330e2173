/**
 * The registry shared by both planes: providers, DLQ entries, idempotency records and the outbox in
 * Postgres, and the sealing of every secret stored there.
 */
package io.integrationhub.registry;
