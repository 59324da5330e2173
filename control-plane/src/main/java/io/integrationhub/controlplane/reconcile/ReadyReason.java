package io.integrationhub.controlplane.reconcile;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a Provider is (not) ready: the {@code reason} of its Ready condition, also used as the
 * reason of the Kubernetes Event. Each not-ready reason says when to look again on its own; most
 * recover sooner through a watch event (spec edit, Secret created or changed).
 */
public enum ReadyReason {
    /** The registry row matches the Provider and its Secret. */
    Reconciled(null),
    /** The spec breaks the registry's rules; fixed only by editing it (a spec change triggers a reconcile). */
    InvalidSpec(null),
    /** The referenced Secret does not exist (yet); its creation triggers a reconcile. */
    SecretNotFound(Duration.ofMinutes(2)),
    /** The Secret lacks a key the Provider maps a credential to. */
    SecretKeyMissing(Duration.ofMinutes(2)),
    /** A credential value in the Secret breaks the rules (empty, control characters, too long). */
    InvalidCredentials(Duration.ofMinutes(2)),
    /** The tenant already has a provider of that name created through the API; the operator does not take it over. */
    NameTaken(Duration.ofMinutes(1)),
    /** An older Provider (in another namespace) already declares the same tenant and name. */
    DuplicateProvider(Duration.ofMinutes(1)),
    /**
     * A failover route names a provider the tenant does not have (yet). Applying a directory creates
     * Providers in no set order, so the route's targets are looked for again within seconds (one query).
     */
    FailoverTargetNotFound(Duration.ofSeconds(5)),
    /** The registry could not be read or written; retried with backoff. */
    RegistryError(null);

    private final Duration recheckAfter;

    ReadyReason(Duration recheckAfter) {
        this.recheckAfter = recheckAfter;
    }

    /** When to reconcile again without any event, as a safety net. */
    public Optional<Duration> recheckAfter() {
        return Optional.ofNullable(recheckAfter);
    }
}
