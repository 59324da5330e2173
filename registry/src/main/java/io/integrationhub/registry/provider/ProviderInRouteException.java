package io.integrationhub.registry.provider;

import java.util.List;

/**
 * The provider is a failover target of other providers of its tenant: deleting or renaming it
 * would leave their routes pointing at nothing, so it is refused until the routes change.
 */
public final class ProviderInRouteException extends RuntimeException {
    private final List<String> routedFrom;

    public ProviderInRouteException(String name, List<String> routedFrom) {
        super(
                "provider '" + name + "' is a failover target of " + String.join(", ", routedFrom)
                        + "; change their config.failover.to first",
                null,
                false,
                false);
        this.routedFrom = List.copyOf(routedFrom);
    }

    /** The providers whose routes name it. */
    public List<String> routedFrom() {
        return routedFrom;
    }
}
