package io.integrationhub.registry.provider;

/** The writer's expected version (If-Match) is not the stored one: someone changed it meanwhile. */
public final class StaleVersionException extends RuntimeException {
    public StaleVersionException(String id, long expected) {
        super("provider " + id + " is no longer at version " + expected, null, false, false);
    }
}
