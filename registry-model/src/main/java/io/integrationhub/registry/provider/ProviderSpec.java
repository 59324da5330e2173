package io.integrationhub.registry.provider;

/**
 * The writable part of a provider, validated. {@code credentials} is null when the writer kept the
 * stored ones (a PATCH that does not touch them).
 */
public record ProviderSpec(
        String name,
        ProviderType type,
        String baseUrl,
        AuthSpec auth,
        Credentials credentials,
        ProviderConfig config,
        ProviderStatus status) {}
