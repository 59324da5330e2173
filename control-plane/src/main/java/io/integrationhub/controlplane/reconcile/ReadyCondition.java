package io.integrationhub.controlplane.reconcile;

import io.integrationhub.crds.Provider;
import io.integrationhub.crds.status.CircuitState;
import io.integrationhub.crds.status.Condition;
import io.integrationhub.crds.status.ProviderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a Provider's next status from its previous one. {@code lastTransitionTime} moves only when
 * Ready flips between True and False (the Kubernetes convention), so a status that did not change
 * compares equal and is not patched.
 */
final class ReadyCondition {
    private ReadyCondition() {}

    /** The row is in line: Ready=True, with the row's id and version. */
    static ProviderStatus ready(
            Provider resource,
            String tenantId,
            io.integrationhub.registry.provider.Provider row,
            CircuitState circuit,
            Instant now) {
        ProviderStatus status = base(resource);
        status.setProviderId(row.id());
        status.setTenantId(tenantId);
        status.setRegistryVersion(row.version());
        status.setCircuit(circuit);
        status.setConditions(with(
                resource,
                Condition.TRUE,
                ReadyReason.Reconciled,
                "registry row " + row.id() + " is at version " + row.version(),
                now));
        return status;
    }

    /**
     * Ready=False. The row the Provider last mapped to (if any) is still named, since it still
     * exists and serves calls with its last good settings.
     */
    static ProviderStatus notReady(
            Provider resource, ReadyReason reason, String message, CircuitState circuit, Instant now) {
        ProviderStatus status = base(resource);
        status.setCircuit(circuit);
        status.setConditions(with(resource, Condition.FALSE, reason, message, now));
        return status;
    }

    /** The reason of the Ready condition a status holds, if any. */
    static Optional<String> readyReason(ProviderStatus status) {
        return status == null
                ? Optional.empty()
                : status.condition(Condition.READY).map(Condition::getReason);
    }

    private static ProviderStatus base(Provider resource) {
        ProviderStatus previous = resource.getStatus();
        ProviderStatus status = new ProviderStatus();
        if (previous != null) {
            status.setProviderId(previous.getProviderId());
            status.setTenantId(previous.getTenantId());
            status.setRegistryVersion(previous.getRegistryVersion());
        }
        status.setObservedGeneration(resource.getMetadata().getGeneration());
        return status;
    }

    private static List<Condition> with(
            Provider resource, String value, ReadyReason reason, String message, Instant now) {
        ProviderStatus previous = resource.getStatus();
        List<Condition> conditions = new ArrayList<>();
        Optional<Condition> previousReady = Optional.empty();
        if (previous != null) {
            for (Condition condition : previous.getConditions()) {
                if (Condition.READY.equals(condition.getType())) {
                    previousReady = Optional.of(condition);
                } else {
                    conditions.add(condition);
                }
            }
        }
        String since = previousReady
                .filter(c -> value.equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(Condition::getLastTransitionTime)
                .orElse(now.toString());
        conditions.add(
                0,
                new Condition(
                        Condition.READY,
                        value,
                        reason.name(),
                        message,
                        since,
                        resource.getMetadata().getGeneration()));
        return conditions;
    }
}
