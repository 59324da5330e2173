/**
 * The dead letter queue: parking failed calls together with their idempotency record and events
 * ({@code DeadLetters}), the REST API ({@code DlqRoutes} over {@code DlqService}), the retry path
 * (retry requests kept in Postgres, published by {@code RetryRelay} to the {@code RetryQueue} port —
 * RabbitMQ or in-process — and replayed by {@code ReplayWorker}) and the daily purge.
 */
package io.integrationhub.dataplane.dlq;
