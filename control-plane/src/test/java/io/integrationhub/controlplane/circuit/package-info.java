/** The Valkey circuit-state adapter against the real local redis-server. */
package io.integrationhub.controlplane.circuit;
