/** The dead letter queue: calls that exhausted their attempts, kept (request sealed) for inspection and replay. */
package io.integrationhub.registry.dlq;
