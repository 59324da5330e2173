package io.integrationhub.dataplane.call;

import io.integrationhub.registry.idempotency.StoredResponse;

/** How a call ended when the caller gets a provider's answer (hub errors are thrown as ApiException). */
public sealed interface CallResult {
    /** The provider answered this call after {@code attempts} upstream requests. */
    record Answered(int status, java.util.Map<String, java.util.List<String>> headers, byte[] body, int attempts,
            String idempotencyKey) implements CallResult {}

    /** An earlier call with the same key completed; its answer is replayed without an upstream request. */
    record Replayed(StoredResponse response, String idempotencyKey) implements CallResult {}
}
