package io.integrationhub.dataplane.call;

import io.integrationhub.registry.idempotency.Claim;
import io.integrationhub.registry.idempotency.IdempotencyRepository;
import io.integrationhub.registry.provider.Provider;
import java.util.logging.Logger;

/**
 * The one owner of a call's idempotency claim. The call either settles it (its answer or its dead
 * letter is recorded, which completes the key) or hands it to the streamed answer that will; in
 * every other case — nothing was sent, or anything unexpected was thrown — {@link #close()}
 * releases it, so a key never stays in flight for a whole lease because of a bug.
 */
final class KeyClaim implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KeyClaim.class.getName());

    private final IdempotencyRepository repository;
    private final String tenantId;
    private final String providerId;
    private final String key;
    private final Claim.Proceed claim;
    private boolean open;

    private KeyClaim(
            IdempotencyRepository repository, String tenantId, String providerId, String key, Claim.Proceed claim) {
        this.repository = repository;
        this.tenantId = tenantId;
        this.providerId = providerId;
        this.key = key;
        this.claim = claim;
        this.open = claim != null;
    }

    /** A call without the caller's key: nothing to release. */
    static KeyClaim none() {
        return new KeyClaim(null, null, null, null, null);
    }

    static KeyClaim of(IdempotencyRepository repository, Provider provider, String key, Claim.Proceed claim) {
        return of(repository, provider.tenantId(), provider.id(), key, claim);
    }

    /** A claim held in the record of {@code providerId}: the first provider of the call's route. */
    static KeyClaim of(
            IdempotencyRepository repository, String tenantId, String providerId, String key, Claim.Proceed claim) {
        return new KeyClaim(repository, tenantId, providerId, key, claim);
    }

    /** The provider whose idempotency record holds the key (null without a claim). */
    String ownerId() {
        return providerId;
    }

    /** The DLQ entry an earlier run of this keyed call parked, now to be resolved, or null. */
    String dlqEntryId() {
        return claim == null ? null : claim.dlqEntryId();
    }

    /** The outcome was recorded (or will be, by a streamed answer that took the claim over): no release. */
    void settled() {
        open = false;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            repository.release(tenantId, providerId, key, claim);
        } catch (RuntimeException e) {
            // The lease still ends by itself; say so rather than hide the first failure behind this one.
            LOG.warning("the idempotency claim of a call to provider " + providerId + " could not be released ("
                    + e.getClass().getSimpleName() + "); it ends with its lease");
        }
    }
}
