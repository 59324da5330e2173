package io.integrationhub.controlplane.reconcile;

import io.integrationhub.registry.crypto.SealingException;
import io.integrationhub.registry.provider.FailoverTargetMissingException;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderNameTakenException;
import io.integrationhub.registry.provider.ProviderNotFoundException;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderSpec;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Brings the registry row of a Provider resource in line with its desired spec through the
 * registry's repository (which seals credentials, bumps the version and writes the outbox event).
 * A row that already matches is left alone, so periodic reconciles write nothing.
 */
public final class RegistrySync {
    /** What an upsert did to the row. */
    public enum Change {
        CREATED,
        UPDATED,
        CREDENTIALS_ROTATED,
        UNCHANGED
    }

    /** The row after the upsert, and what changed. */
    public record Outcome(Provider row, Change change) {}

    private final ProviderRepository repository;

    public RegistrySync(ProviderRepository repository) {
        this.repository = repository;
    }

    /**
     * Creates the tenant's operator-managed provider of that name, or updates it when it differs.
     *
     * @throws NotReadyException NameTaken if the name belongs to a provider managed through the API
     */
    public Outcome upsert(String tenantId, ProviderSpec desired) throws NotReadyException {
        try {
            return write(tenantId, desired);
        } catch (FailoverTargetMissingException e) {
            // The spec itself was checked before; the registry adds only that each failover target exists.
            // Any other refusal is not a state to wait out: it propagates as the reconciler's error.
            throw new NotReadyException(
                    ReadyReason.FailoverTargetNotFound,
                    e.errors().stream()
                            .map(error -> "spec." + error.field() + ": " + error.message())
                            .collect(Collectors.joining("; ")));
        }
    }

    private Outcome write(String tenantId, ProviderSpec desired) throws NotReadyException {
        Optional<Provider> existing = repository.find(tenantId, desired.name());
        if (existing.isEmpty()) {
            try {
                return new Outcome(repository.create(tenantId, desired, ManagedBy.OPERATOR), Change.CREATED);
            } catch (ProviderNameTakenException e) {
                throw nameTaken(tenantId, desired.name()); // created through the API meanwhile
            }
        }
        Provider row = existing.get();
        if (row.managedBy() != ManagedBy.OPERATOR) {
            throw nameTaken(tenantId, desired.name());
        }
        boolean sameSettings = sameSettings(row, desired);
        boolean sameCredentials = sameCredentials(row, desired);
        if (sameSettings && sameCredentials) {
            return new Outcome(row, Change.UNCHANGED);
        }
        // The version read above guards against a concurrent writer; a conflict is retried by the framework.
        Provider updated = repository.update(tenantId, row.id(), desired, row.version());
        return new Outcome(updated, sameSettings ? Change.CREDENTIALS_ROTATED : Change.UPDATED);
    }

    /** The id of the tenant's live operator-managed provider of that name, if any. */
    public Optional<String> findOperatorManaged(String tenantId, String name) {
        return repository
                .find(tenantId, name)
                .filter(p -> p.managedBy() == ManagedBy.OPERATOR)
                .map(Provider::id);
    }

    /** Soft-deletes the row; false when it was already gone. */
    public boolean remove(String tenantId, String providerId) {
        try {
            repository.softDelete(tenantId, providerId, null);
            return true;
        } catch (ProviderNotFoundException e) {
            return false;
        }
    }

    private static boolean sameSettings(Provider row, ProviderSpec desired) {
        return row.name().equals(desired.name())
                && row.type() == desired.type()
                && row.baseUrl().equals(desired.baseUrl())
                && row.auth().equals(desired.auth())
                && row.config().equals(desired.config())
                && row.status() == desired.status();
    }

    private boolean sameCredentials(Provider row, ProviderSpec desired) {
        try {
            return Objects.equals(repository.openCredentials(row), desired.credentials());
        } catch (SealingException | IllegalStateException e) {
            return false; // unreadable (e.g. its master key was retired): sealing again repairs it
        }
    }

    private static NotReadyException nameTaken(String tenantId, String name) {
        return new NotReadyException(
                ReadyReason.NameTaken,
                "tenant " + tenantId + " already has a provider named " + name
                        + " managed through the API; delete it there or give this Provider another name");
    }
}
