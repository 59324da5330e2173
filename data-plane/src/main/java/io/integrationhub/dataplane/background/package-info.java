/**
 * Threads that work in the background for the whole life of an instance (listeners, relays,
 * sweepers): kept alive whatever they throw, restarted with backoff, and visible in readiness
 * while they are down, so a dead thread never silently degrades an instance.
 */
package io.integrationhub.dataplane.background;
