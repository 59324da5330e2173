/**
 * Events (DESIGN §5): the relay that publishes the transactional outbox, in order, to Kafka
 * (CloudEvents 1.0, structured mode, keyed by provider id) or, in standalone mode, to the log.
 */
package io.integrationhub.dataplane.events;
