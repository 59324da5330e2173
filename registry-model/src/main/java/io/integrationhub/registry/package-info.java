/**
 * The registry shared by both planes and hubctl: providers, DLQ entries, idempotency records and the
 * outbox in Postgres, and the sealing of every secret stored there.
 *
 * <p>Two jars share this package and {@code .provider}: registry-model holds what needs no database
 * (ids, JSON mapping, paging, the provider model and its validation), registry the persistence
 * (Flyway migrations and the jdbi repositories). The package names were kept so that no importer
 * changed; hubctl puts only registry-model on its class path.
 */
package io.integrationhub.registry;
