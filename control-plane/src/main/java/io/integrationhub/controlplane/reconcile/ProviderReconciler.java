package io.integrationhub.controlplane.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.integrationhub.controlplane.circuit.CircuitStateSource;
import io.integrationhub.controlplane.health.OperatorMetrics;
import io.integrationhub.crds.Provider;
import io.integrationhub.crds.status.CircuitState;
import io.integrationhub.crds.status.ProviderStatus;
import io.integrationhub.registry.provider.ProviderInRouteException;
import io.integrationhub.registry.provider.ProviderSpec;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Reconciles a Provider resource into its registry row: validate (the registry's rules) -> read the
 * referenced Secret -> upsert the row ({@code managedBy=operator}, sealed credentials) -> record
 * status. Idempotent: a row that matches is not written, a status that did not change is not
 * patched. Deleting the resource soft-deletes the row before the finalizer goes (Cleaner).
 * Collaborators come in through the constructor; {@code Main} wires them.
 */
public final class ProviderReconciler implements Reconciler<Provider>, Cleaner<Provider> {
    private static final Logger LOG = Logger.getLogger(ProviderReconciler.class.getName());
    /** How soon the deletion of a Provider that failover routes name is tried again. */
    private static final java.time.Duration ROUTED_DELETE_RETRY = java.time.Duration.ofSeconds(5);

    private final ProviderTranslator translator;
    private final RegistrySync registry;
    private final CircuitStateSource circuits;
    private final ProviderEvents events;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final Duration circuitRefresh;

    /**
     * @param circuitRefresh how often a ready Provider is looked at again, which refreshes its
     *     circuit state (the data plane changes it without any Kubernetes event)
     */
    public ProviderReconciler(
            ProviderTranslator translator,
            RegistrySync registry,
            CircuitStateSource circuits,
            ProviderEvents events,
            OperatorMetrics metrics,
            Clock clock,
            Duration circuitRefresh) {
        this.translator = translator;
        this.registry = registry;
        this.circuits = circuits;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.circuitRefresh = circuitRefresh;
    }

    /** Watches the Secrets that Providers reference; a change to one reconciles those Providers. */
    @Override
    public List<EventSource<?, Provider>> prepareEventSources(EventSourceContext<Provider> context) {
        context.getPrimaryCache().addIndexer(ProviderIndexes.BY_SECRET, ProviderIndexes::bySecret);
        context.getPrimaryCache().addIndexer(ProviderIndexes.BY_TENANT_AND_NAME, ProviderIndexes::byTenantAndName);
        InformerEventSourceConfiguration<Secret> secrets = InformerEventSourceConfiguration.from(
                        Secret.class, Provider.class)
                .withName("referenced-secrets")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(
                        (Secret secret) -> context
                                .getPrimaryCache()
                                .byIndex(ProviderIndexes.BY_SECRET, ProviderIndexes.secretKey(secret))
                                .stream()
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((Provider provider) -> ProviderTranslator.secretRefOf(provider)
                        .map(ref -> Set.of(new ResourceID(
                                ref.getName(), provider.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build();
        return List.of(new InformerEventSource<>(secrets, context));
    }

    @Override
    public UpdateControl<Provider> reconcile(Provider resource, Context<Provider> context) {
        String tenantId = ProviderTranslator.tenantOf(resource);
        ProviderStatus next;
        Optional<Duration> recheck;
        try {
            Map<String, String> secretKeys = translator.checkSpec(resource);
            requireUnchangedTenant(resource, tenantId);
            requireOwnership(resource, tenantId, context.getPrimaryCache());
            Optional<Secret> secret =
                    secretKeys.isEmpty() ? Optional.empty() : context.getSecondaryResource(Secret.class);
            ProviderSpec desired = translator.resolve(resource, secretKeys, secret);
            RegistrySync.Outcome outcome = registry.upsert(tenantId, desired);
            recordWrite(resource, outcome);
            next = ReadyCondition.ready(
                    resource,
                    tenantId,
                    outcome.row(),
                    circuits.stateOf(outcome.row().id()),
                    clock.instant());
            recheck = Optional.of(circuitRefresh);
            metrics.reconciled(ReadyReason.Reconciled.name());
        } catch (NotReadyException e) {
            next = ReadyCondition.notReady(resource, e.reason(), e.getMessage(), circuitOf(resource), clock.instant());
            recheck = e.reason().recheckAfter();
            metrics.reconciled(e.reason().name());
            if (!ReadyCondition.readyReason(resource.getStatus())
                    .equals(Optional.of(e.reason().name()))) {
                LOG.log(Level.INFO, "Provider {0}/{1} is not ready: {2}: {3}", new Object[] {
                    resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(),
                    e.reason(),
                    e.getMessage()
                });
                events.record(resource, ProviderEvents.WARNING, e.reason().name(), e.getMessage());
            }
        }
        UpdateControl<Provider> control;
        if (Objects.equals(next, resource.getStatus())) {
            control = UpdateControl.noUpdate();
        } else {
            resource.setStatus(next);
            control = UpdateControl.patchStatus(resource);
        }
        recheck.ifPresent(control::rescheduleAfter);
        return control;
    }

    /** An unexpected failure (registry down...): Ready=False RegistryError, and the framework retries with backoff. */
    @Override
    public ErrorStatusUpdateControl<Provider> updateErrorStatus(
            Provider resource, Context<Provider> context, Exception e) {
        metrics.error();
        // The class only: driver messages may quote SQL, and a status is readable by every namespace user.
        String message = "the registry could not be updated (" + e.getClass().getSimpleName() + "); retrying";
        ProviderStatus next = ReadyCondition.notReady(
                resource, ReadyReason.RegistryError, message, circuitOf(resource), clock.instant());
        if (Objects.equals(next, resource.getStatus())) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        resource.setStatus(next);
        return ErrorStatusUpdateControl.patchStatus(resource);
    }

    /** Soft-deletes the Provider's row; then the framework removes the finalizer. */
    @Override
    public DeleteControl cleanup(Provider resource, Context<Provider> context) {
        ProviderStatus status = resource.getStatus();
        String tenantId = status != null && status.getTenantId() != null
                ? status.getTenantId()
                : ProviderTranslator.tenantOf(resource);
        String providerId = status == null ? null : status.getProviderId();
        if (providerId == null
                && ProviderTranslator.hasValidTenant(resource)
                && owns(resource, tenantId, context.getPrimaryCache())) {
            // Created, but the status patch was lost: find the row by name. (A tenant the registry cannot hold has no
            // row.)
            providerId = registry.findOperatorManaged(
                            tenantId, resource.getMetadata().getName())
                    .orElse(null);
        }
        boolean removed;
        try {
            removed = providerId != null && registry.remove(tenantId, providerId);
        } catch (ProviderInRouteException routed) {
            // Other providers' failover routes name it: the row and the finalizer stay until those routes change.
            events.record(resource, ProviderEvents.WARNING, "InFailoverRoute", routed.getMessage());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(ROUTED_DELETE_RETRY.toMillis());
        }
        if (removed) {
            metrics.registryWrite("delete");
            events.record(resource, ProviderEvents.NORMAL, "Deleted", "registry row " + providerId + " soft-deleted");
            LOG.log(Level.INFO, "Provider {0}/{1} deleted: registry row {2} soft-deleted", new Object[] {
                resource.getMetadata().getNamespace(), resource.getMetadata().getName(), providerId
            });
        }
        return DeleteControl.defaultDelete();
    }

    private void recordWrite(Provider resource, RegistrySync.Outcome outcome) {
        String reason = switch (outcome.change()) {
            case CREATED -> "Created";
            case UPDATED -> "Updated";
            case CREDENTIALS_ROTATED -> "CredentialsResealed";
            case UNCHANGED -> null;
        };
        if (reason == null) {
            return;
        }
        metrics.registryWrite(outcome.change().name().toLowerCase(Locale.ROOT));
        String message = "registry row " + outcome.row().id() + " is at version "
                + outcome.row().version();
        LOG.log(Level.INFO, "Provider {0}/{1}: {2}, {3}", new Object[] {
            resource.getMetadata().getNamespace(), resource.getMetadata().getName(), reason, message
        });
        events.record(resource, ProviderEvents.NORMAL, reason, message);
    }

    /** The tenant is immutable (a CEL rule says so too); moving a row between tenants is a new Provider. */
    private static void requireUnchangedTenant(Provider resource, String tenantId) throws NotReadyException {
        ProviderStatus status = resource.getStatus();
        if (status != null
                && status.getProviderId() != null
                && status.getTenantId() != null
                && !status.getTenantId().equals(tenantId)) {
            throw new NotReadyException(
                    ReadyReason.InvalidSpec,
                    "spec.tenantId: is immutable (the registry row belongs to tenant " + status.getTenantId()
                            + "); create a new Provider for tenant " + tenantId);
        }
    }

    private static void requireOwnership(Provider resource, String tenantId, IndexedResourceCache<Provider> cache)
            throws NotReadyException {
        Provider owner = ownerOf(resource, tenantId, cache);
        if (owner != null && !sameResource(owner, resource)) {
            throw new NotReadyException(
                    ReadyReason.DuplicateProvider,
                    "Provider " + owner.getMetadata().getNamespace() + "/"
                            + owner.getMetadata().getName() + " already declares provider "
                            + resource.getMetadata().getName()
                            + " for tenant " + tenantId);
        }
    }

    private static boolean owns(Provider resource, String tenantId, IndexedResourceCache<Provider> cache) {
        Provider owner = ownerOf(resource, tenantId, cache);
        return owner == null || sameResource(owner, resource);
    }

    private static Provider ownerOf(Provider resource, String tenantId, IndexedResourceCache<Provider> cache) {
        return cache
                .byIndex(
                        ProviderIndexes.BY_TENANT_AND_NAME,
                        ProviderIndexes.tenantAndName(
                                tenantId, resource.getMetadata().getName()))
                .stream()
                .min(ProviderIndexes.OWNERSHIP)
                .orElse(null);
    }

    private static boolean sameResource(Provider a, Provider b) {
        return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
                && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
    }

    private CircuitState circuitOf(Provider resource) {
        ProviderStatus status = resource.getStatus();
        return status == null || status.getProviderId() == null
                ? CircuitState.Unknown
                : circuits.stateOf(status.getProviderId());
    }
}
