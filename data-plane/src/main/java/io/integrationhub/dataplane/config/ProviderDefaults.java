package io.integrationhub.dataplane.config;

/**
 * What a provider gets when it does not say, and how many a tenant may have.
 *
 * @param rateLimitPerSec       outgoing calls per second of a provider without a limit of its own, all
 *                              instances together (INTEGRATION_RATE_LIMIT_PER_SEC)
 * @param maxProvidersPerTenant live providers a tenant may have (INTEGRATION_MAX_PROVIDERS_PER_TENANT)
 * @param maxWaiters            calls that may wait for a slot of a provider's limit on one instance, all
 *                              providers together (INTEGRATION_MAX_WAITERS); beyond: 503 overloaded
 */
public record ProviderDefaults(int rateLimitPerSec, int maxProvidersPerTenant, int maxWaiters) {
    public static final int DEFAULT_RATE_LIMIT_PER_SEC = 100;
    public static final int DEFAULT_MAX_PROVIDERS_PER_TENANT = 1000;
    public static final int DEFAULT_MAX_WAITERS = 1000;
}
