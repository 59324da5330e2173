package io.integrationhub.dataplane.callrecord;

import io.integrationhub.registry.dlq.FailedRequest;
import io.integrationhub.registry.dlq.LastError;
import io.integrationhub.registry.idempotency.StoredResponse;

/** A call's end as the registry must record it; a record so it can wait in the spool as it is. */
public sealed interface CallRecord permits CallRecord.Parked, CallRecord.Answered {

    String tenantId();

    /**
     * The call exhausted its attempts.
     *
     * @param entryId the DLQ entry holding it: a new id, or the entry an earlier run of the same keyed call parked
     * @param newEntry whether {@code entryId} is new (else the existing entry failed again)
     * @param keyed whether the idempotency key is the caller's (its record then turns dead-lettered)
     * @param replay whether this run was an operator's replay (an existing entry then ends failed)
     * @param keyOwnerId the provider whose idempotency record holds the key: the first provider of the
     *     call's route, which differs from {@code providerId} when the call failed over before it was
     *     parked; null (as in records spooled before routes existed) means {@code providerId}
     * @param module the module that made the call, kept with a new entry so that its replay counts for
     *     it; null (as in records spooled before it was kept) means unknown
     */
    record Parked(
            String tenantId,
            String providerId,
            String idempotencyKey,
            boolean keyed,
            String entryId,
            boolean newEntry,
            FailedRequest request,
            LastError error,
            int attempts,
            boolean replay,
            String keyOwnerId,
            String module)
            implements CallRecord {

        /** A call parked with the provider that holds its key. */
        public Parked(
                String tenantId,
                String providerId,
                String idempotencyKey,
                boolean keyed,
                String entryId,
                boolean newEntry,
                FailedRequest request,
                LastError error,
                int attempts,
                boolean replay) {
            this(
                    tenantId,
                    providerId,
                    idempotencyKey,
                    keyed,
                    entryId,
                    newEntry,
                    request,
                    error,
                    attempts,
                    replay,
                    null,
                    null);
        }

        /** The provider whose idempotency record holds the key. */
        public String keyOwner() {
            return keyOwnerId == null ? providerId : keyOwnerId;
        }
    }

    /**
     * The provider answered.
     *
     * @param response kept for replays of a keyed call, or null (nothing to keep)
     * @param resolvedEntryId the DLQ entry an earlier run of this keyed call parked, now resolved, or null
     */
    record Answered(
            String tenantId,
            String providerId,
            String idempotencyKey,
            StoredResponse response,
            String resolvedEntryId,
            int attempts)
            implements CallRecord {

        boolean writesNothing() {
            return response == null && resolvedEntryId == null;
        }
    }
}
