/**
 * The dead letter queue (calls are parked in it by {@code callrecord}): the REST API ({@code DlqRoutes} over {@code DlqService}), the retry path
 * (retry requests kept in Postgres, published by {@code RetryRelay} to the {@code RetryQueue} port —
 * RabbitMQ or in-process — and replayed by {@code ReplayWorker}) and the daily purge.
 */
package io.integrationhub.dataplane.dlq;
