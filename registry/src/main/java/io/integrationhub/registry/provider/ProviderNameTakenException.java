package io.integrationhub.registry.provider;

/** Another live provider of the tenant already has this name. */
public final class ProviderNameTakenException extends RuntimeException {
    public ProviderNameTakenException(String name) {
        super("a provider named '" + name + "' already exists", null, false, false);
    }
}
