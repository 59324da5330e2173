package io.integrationhub.registry.provider;

/** A disabled provider is kept but refuses calls (409 provider-disabled). */
public enum ProviderStatus {
    ACTIVE,
    DISABLED
}
