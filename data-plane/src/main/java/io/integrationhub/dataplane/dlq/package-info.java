/** Parking failed calls in the dead letter queue, together with their idempotency record and events. */
package io.integrationhub.dataplane.dlq;
