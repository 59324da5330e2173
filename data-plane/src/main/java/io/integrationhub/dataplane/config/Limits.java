package io.integrationhub.dataplane.config;

/**
 * Bounds on what one tenant, or one scrape, can grow to.
 *
 * @param maxProvidersPerTenant live providers a tenant may have (INTEGRATION_MAX_PROVIDERS_PER_TENANT)
 * @param metricsMaxProviders   provider ids exported as metric labels, the rest aggregated (INTEGRATION_METRICS_MAX_PROVIDERS)
 */
public record Limits(int maxProvidersPerTenant, int metricsMaxProviders) {
    public static final int DEFAULT_MAX_PROVIDERS_PER_TENANT = 1000;
    public static final int DEFAULT_METRICS_MAX_PROVIDERS = 200;
}
