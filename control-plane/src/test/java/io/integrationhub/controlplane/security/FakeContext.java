package io.integrationhub.controlplane.security;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.integrationhub.crds.Provider;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What java-operator-sdk hands the reconciler for one Provider, written by hand: a primary cache
 * holding only that Provider (so it owns its tenant and name) and, as secondary resource, the
 * Secret when it has the name the Provider's secretRef asks for (the informer's mapping).
 */
final class FakeContext implements Context<Provider> {
    private final Provider provider;
    private final Optional<Secret> secret;

    FakeContext(Provider provider, Optional<Secret> secret) {
        this.provider = provider;
        String wanted = provider.getSpec() == null
                        || provider.getSpec().getAuth() == null
                        || provider.getSpec().getAuth().getSecretRef() == null
                ? null
                : provider.getSpec().getAuth().getSecretRef().getName();
        this.secret = secret.filter(
                s -> wanted != null && Objects.equals(s.getMetadata().getName(), wanted));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> Optional<R> getSecondaryResource(Class<R> type) {
        return type == Secret.class ? (Optional<R>) secret : Optional.empty();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> Set<R> getSecondaryResources(Class<R> type) {
        return type == Secret.class ? (Set<R>) secret.map(Set::of).orElse(Set.of()) : Set.of();
    }

    @Override
    public <R> Optional<R> getSecondaryResource(Class<R> type, String eventSourceName) {
        return getSecondaryResource(type);
    }

    @Override
    public IndexedResourceCache<Provider> getPrimaryCache() {
        return new IndexedResourceCache<>() {
            @Override
            public List<Provider> byIndex(String indexName, String indexKey) {
                return List.of(provider);
            }

            @Override
            public Optional<Provider> get(ResourceID resourceID) {
                return ResourceID.fromResource(provider).equals(resourceID) ? Optional.of(provider) : Optional.empty();
            }

            @Override
            public Stream<ResourceID> keys() {
                return Stream.of(ResourceID.fromResource(provider));
            }

            @Override
            public Stream<Provider> list(Predicate<Provider> predicate) {
                return Stream.of(provider).filter(predicate);
            }

            @Override
            public Stream<Provider> list(String namespace, Predicate<Provider> predicate) {
                return list(p -> Objects.equals(namespace, p.getMetadata().getNamespace()) && predicate.test(p));
            }
        };
    }

    @Override
    public Provider getPrimaryResource() {
        return provider;
    }

    @Override
    public Optional<RetryInfo> getRetryInfo() {
        return Optional.empty();
    }

    @Override
    public boolean isNextReconciliationImminent() {
        return false;
    }

    @Override
    public boolean isPrimaryResourceDeleted() {
        return false;
    }

    @Override
    public boolean isPrimaryResourceFinalStateUnknown() {
        return false;
    }

    @Override
    public ControllerConfiguration<Provider> getControllerConfiguration() {
        throw new UnsupportedOperationException("not used by the reconciler");
    }

    @Override
    public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
        throw new UnsupportedOperationException("not used by the reconciler");
    }

    @Override
    public EventSourceRetriever<Provider> eventSourceRetriever() {
        throw new UnsupportedOperationException("not used by the reconciler");
    }

    @Override
    public KubernetesClient getClient() {
        throw new UnsupportedOperationException("not used by the reconciler");
    }

    @Override
    public ExecutorService getWorkflowExecutorService() {
        throw new UnsupportedOperationException("not used by the reconciler");
    }
}
