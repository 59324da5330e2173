/** The transactional outbox: events written with the change they describe, relayed later. */
package io.integrationhub.registry.outbox;
