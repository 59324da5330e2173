package io.integrationhub.dataplane;

import io.integrationhub.registry.Ids;
import io.integrationhub.registry.provider.AuthSpec;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.provider.ProviderStatus;
import io.integrationhub.registry.provider.ProviderType;
import java.time.Instant;

/** Providers for tests below the registry: an active custom provider "p" of tenant "t" with a new id. */
public final class TestProviders {
    private TestProviders() {}

    public static Provider withConfig(ProviderConfig config) {
        return of("https://p.test", AuthSpec.NONE, config);
    }

    public static Provider of(String baseUrl, AuthSpec auth, ProviderConfig config) {
        Instant now = Instant.now();
        return new Provider(
                Ids.newId(),
                "t",
                "p",
                ProviderType.CUSTOM,
                baseUrl,
                auth,
                null,
                config,
                ProviderStatus.ACTIVE,
                ManagedBy.API,
                1,
                now,
                now,
                null);
    }
}
