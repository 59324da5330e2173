package io.integrationhub.cli.apply;

import io.integrationhub.crds.Provider;

/** A Provider resource read from the input, and where it came from (for messages). */
record ProviderManifest(String source, Provider resource) {
    String name() {
        return resource.getMetadata() == null ? null : resource.getMetadata().getName();
    }

    String namespace() {
        return resource.getMetadata() == null ? null : resource.getMetadata().getNamespace();
    }

    /**
     * The tenant the document names: {@code spec.tenantId}, else {@code metadata.namespace} (as the
     * operator decides), else null (the context's tenant, else the token's, applies).
     */
    String tenant() {
        String tenantId = resource.getSpec() == null ? null : resource.getSpec().getTenantId();
        if (tenantId != null && !tenantId.isBlank()) {
            return tenantId;
        }
        String namespace = namespace();
        return namespace == null || namespace.isBlank() ? null : namespace;
    }
}
