package io.integrationhub.dataplane.dlq;

import io.integrationhub.registry.dlq.DeadLetterRepository;
import io.integrationhub.registry.dlq.DeadLetterStatus;
import io.integrationhub.registry.dlq.FailedRequest;
import io.integrationhub.registry.dlq.LastError;
import io.integrationhub.registry.idempotency.IdempotencyRepository;
import io.integrationhub.registry.outbox.OutboxWriter;
import io.integrationhub.registry.provider.Provider;
import java.time.Clock;

/**
 * Parks a call that exhausted its attempts: the DLQ entry (a new one, or the entry an earlier run of
 * the same keyed call left), the idempotency record turned to dead-lettered, and the
 * {@code call.failed} event, all in one transaction — so either all of it is durable or the caller
 * is told that nothing was parked.
 */
public final class DeadLetters {
    private final DeadLetterRepository entries;
    private final IdempotencyRepository idempotency;
    private final OutboxWriter outbox;

    public DeadLetters(DeadLetterRepository entries, IdempotencyRepository idempotency, Clock clock) {
        this.entries = entries;
        this.idempotency = idempotency;
        this.outbox = new OutboxWriter(clock);
    }

    /**
     * @param existingEntryId the entry an earlier run of this keyed call parked, or null
     * @param keyed whether the key is the caller's (then its idempotency record is updated)
     * @param replay whether this run was an operator's DLQ replay (the entry then ends {@code failed})
     * @return the id of the entry holding the call
     */
    public String park(Provider provider, String idempotencyKey, boolean keyed, String existingEntryId, FailedRequest request,
            LastError error, int attempts, boolean replay) {
        return entries.jdbi().inTransaction(handle -> {
            String entryId;
            if (existingEntryId != null) {
                entries.failedAgain(handle, provider.tenantId(), existingEntryId, error, attempts,
                        replay ? DeadLetterStatus.FAILED : DeadLetterStatus.PENDING);
                entryId = existingEntryId;
            } else {
                entryId = entries.park(handle, provider.tenantId(), provider.id(), idempotencyKey, request, error, attempts).id();
            }
            if (keyed) {
                idempotency.deadLettered(handle, provider.tenantId(), provider.id(), idempotencyKey, entryId);
            }
            var data = io.integrationhub.registry.Json.mapper().createObjectNode()
                    .put("providerId", provider.id())
                    .put("tenantId", provider.tenantId())
                    .put("method", request.method())
                    .put("dlqEntryId", entryId)
                    .put("attempts", attempts)
                    .put("errorKind", error.kind());
            if (error.status() != null) {
                data.put("errorStatus", error.status());
            }
            outbox.append(handle, provider.id(), "call.failed", provider.tenantId(), data);
            return entryId;
        });
    }

    /** A later run of a parked keyed call reached the provider: the entry is resolved. */
    public void resolved(Provider provider, String entryId, int attempts) {
        entries.jdbi().useTransaction(handle -> entries.succeeded(handle, provider.tenantId(), entryId, attempts));
    }
}
