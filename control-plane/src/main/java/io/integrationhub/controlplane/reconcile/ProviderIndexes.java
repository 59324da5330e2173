package io.integrationhub.controlplane.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.integrationhub.crds.Provider;
import java.util.Comparator;
import java.util.List;

/**
 * Indexes over the operator's cache of Provider resources: by referenced Secret (so a Secret event
 * finds the Providers to reconcile) and by tenant + name (so two Providers claiming the same
 * registry row are noticed).
 */
final class ProviderIndexes {
    static final String BY_SECRET = "integrationhub.io/secret";
    static final String BY_TENANT_AND_NAME = "integrationhub.io/tenant-name";

    /**
     * Who owns a contested tenant + name: the Provider already mapped to the row (ownership is
     * sticky, so a newcomer never takes a row over), else the oldest, else the first by
     * namespace/name (creation times have a one-second resolution).
     */
    static final Comparator<Provider> OWNERSHIP = Comparator.comparing(
                    (Provider p) -> p.getStatus() == null || p.getStatus().getProviderId() == null)
            .thenComparing(p -> p.getMetadata().getCreationTimestamp() == null
                    ? ""
                    : p.getMetadata().getCreationTimestamp())
            .thenComparing(
                    p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());

    private ProviderIndexes() {}

    static List<String> bySecret(Provider provider) {
        return ProviderTranslator.secretRefOf(provider)
                .map(ref -> List.of(secretKey(provider.getMetadata().getNamespace(), ref.getName())))
                .orElse(List.of());
    }

    static List<String> byTenantAndName(Provider provider) {
        return List.of(tenantAndName(
                ProviderTranslator.tenantOf(provider), provider.getMetadata().getName()));
    }

    static String secretKey(HasMetadata secret) {
        return secretKey(
                secret.getMetadata().getNamespace(), secret.getMetadata().getName());
    }

    static String secretKey(String namespace, String name) {
        return namespace + "/" + name;
    }

    static String tenantAndName(String tenantId, String name) {
        // '\0' cannot occur in either part, so distinct pairs never share a key.
        return tenantId + "\u0000" + name;
    }
}
