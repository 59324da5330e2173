package io.integrationhub.dataplane.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.registry.Page;
import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderJson;
import io.integrationhub.registry.provider.ProviderNotFoundException;
import io.integrationhub.registry.provider.ProviderQuotaExceededException;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderSpec;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.registry.validation.ValidationException;

/**
 * The rules of managing providers, shared by every API: tenant scoping, operator-owned rows being
 * read-only, merge-patch semantics and optimistic concurrency. Scope checks happen at the edge.
 */
public final class ProviderService {
    private final ProviderRepository repository;
    private final ProviderValidator validator;
    private final int defaultRateLimitPerSec;
    private final int maxProvidersPerTenant;

    private final ProviderCache cache;

    /**
     * @param cache this instance's provider cache: forgotten at once after a write here, so a call right
     *     after a change through this instance sees it (other instances learn it from the change notification)
     * @param maxProvidersPerTenant live providers a tenant may have (INTEGRATION_MAX_PROVIDERS_PER_TENANT)
     */
    public ProviderService(
            ProviderRepository repository,
            ProviderValidator validator,
            int defaultRateLimitPerSec,
            ProviderCache cache,
            int maxProvidersPerTenant) {
        this.maxProvidersPerTenant = maxProvidersPerTenant;
        this.repository = repository;
        this.validator = validator;
        this.defaultRateLimitPerSec = defaultRateLimitPerSec;
        this.cache = cache;
    }

    /** Creates a provider; 403 {@code quota-exceeded} when the tenant has its maximum already (one tenant cannot fill the registry). */
    public Provider create(Caller caller, JsonNode document) {
        try {
            return repository.create(
                    caller.tenantId(), validator.validateNew(document), ManagedBy.API, maxProvidersPerTenant);
        } catch (ProviderQuotaExceededException e) {
            throw new ApiException(ProblemType.QUOTA_EXCEEDED, e.getMessage())
                    .extension("limit", maxProvidersPerTenant);
        }
    }

    public Provider get(Caller caller, String idOrName) {
        return repository.find(caller.tenantId(), idOrName).orElseThrow(() -> new ProviderNotFoundException(idOrName));
    }

    public Page<Provider> list(Caller caller, String afterId, int limit) {
        return repository.list(caller.tenantId(), afterId, limit);
    }

    /** Applies a JSON merge patch to the writable fields; credentials given replace, omitted ones stay. */
    public Provider patch(Caller caller, String idOrName, JsonNode patch, Long expectedVersion) {
        if (patch == null || !patch.isObject()) {
            throw ValidationException.of("$", "the patch must be a JSON object");
        }
        Provider current = writable(get(caller, idOrName));
        JsonNode merged = MergePatch.apply(ProviderJson.writable(current), patch);
        ProviderSpec spec = validator.validate(merged, current.auth().type(), current.sealedCredentials() != null);
        Provider updated = repository.update(caller.tenantId(), current.id(), spec, expectedVersion);
        cache.invalidate(updated.id());
        return updated;
    }

    public Provider delete(Caller caller, String idOrName, Long expectedVersion) {
        Provider current = writable(get(caller, idOrName));
        Provider deleted = repository.softDelete(caller.tenantId(), current.id(), expectedVersion);
        cache.invalidate(deleted.id());
        return deleted;
    }

    /** The public document of a provider (credentials masked, effective rate limit). */
    public ObjectNode document(Provider provider) {
        return ProviderJson.document(provider, defaultRateLimitPerSec);
    }

    private static Provider writable(Provider provider) {
        if (provider.managedBy() == ManagedBy.OPERATOR) {
            throw new ApiException(
                            ProblemType.MANAGED_BY_OPERATOR,
                            "provider " + provider.name()
                                    + " is managed by a Kubernetes Provider resource; change it with kubectl (kubectl edit provider "
                                    + provider.name() + ")")
                    .extension("managedBy", "operator");
        }
        return provider;
    }
}
