package io.integrationhub.registry.provider;

/** No live provider with that id or name in the caller's tenant (another tenant's looks the same). */
public final class ProviderNotFoundException extends RuntimeException {
    public ProviderNotFoundException(String idOrName) {
        super("no provider '" + idOrName + "'", null, false, false);
    }
}
