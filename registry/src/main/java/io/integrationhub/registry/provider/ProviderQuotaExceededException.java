package io.integrationhub.registry.provider;

/** The tenant already has as many live providers as it may have. */
public final class ProviderQuotaExceededException extends RuntimeException {
    public ProviderQuotaExceededException(int limit) {
        super("the tenant already has " + limit + " providers, its limit; delete one first", null, false, false);
    }
}
