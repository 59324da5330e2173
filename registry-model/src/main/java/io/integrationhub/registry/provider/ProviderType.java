package io.integrationhub.registry.provider;

/** What kind of external API a provider is; used for grouping and dashboards only. */
public enum ProviderType {
    PAYMENT,
    SMS,
    EMAIL,
    ANALYTICS,
    ADVERTISING,
    CUSTOM
}
