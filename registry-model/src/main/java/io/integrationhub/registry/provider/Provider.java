package io.integrationhub.registry.provider;

import io.integrationhub.registry.crypto.Sealed;
import java.time.Instant;

/** A provider as stored. Credentials stay sealed here; {@code ProviderRepository.openCredentials} (registry) opens them. */
public record Provider(
        String id,
        String tenantId,
        String name,
        ProviderType type,
        String baseUrl,
        AuthSpec auth,
        Sealed sealedCredentials,
        ProviderConfig config,
        ProviderStatus status,
        ManagedBy managedBy,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant deletedAt) {

    public boolean isDeleted() {
        return deletedAt != null;
    }

    /** The same provider (id, version and all) under other config. */
    public Provider withConfig(ProviderConfig other) {
        return new Provider(
                id,
                tenantId,
                name,
                type,
                baseUrl,
                auth,
                sealedCredentials,
                other,
                status,
                managedBy,
                version,
                createdAt,
                updatedAt,
                deletedAt);
    }
}
