package io.integrationhub.dataplane.call;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.registry.dlq.LastError;
import io.integrationhub.registry.idempotency.StoredResponse;
import java.util.List;
import java.util.Map;

/**
 * How a call ended, as the pipeline reports it. Only the edges (REST's {@link CallAnswers}, gRPC)
 * turn a result into a status, headers and a problem document.
 */
public sealed interface CallResult {
    /**
     * The provider answered this call after {@code attempts} upstream requests. The edge passes
     * {@code body} on and closes it.
     */
    record Answered(int status, Map<String, List<String>> headers, AnswerBody body, int attempts, String idempotencyKey)
            implements CallResult {}

    /**
     * An earlier call with the same key completed; its answer is replayed without an upstream
     * request. When its body was too large to keep, {@code response.bodyKept()} is false and the
     * edge answers a problem carrying the original status and headers instead.
     */
    record Replayed(StoredResponse response, String idempotencyKey) implements CallResult {}

    /** The hub refused the call or its input, and nothing was sent upstream (or nothing more). */
    record Rejected(ApiException problem) implements CallResult {}

    /**
     * Every attempt failed: the call is parked in the dead letter queue as {@code entryId} (when
     * {@code entryId} is null it could not be parked, and the problem says so).
     */
    record Parked(ApiException problem, String entryId, LastError lastError, int attempts) implements CallResult {}

    /**
     * The caller's deadline passed after {@code attempts} upstream requests (perhaps none): the
     * call ends without a dead letter, since the caller who gave up owns what happens next.
     */
    record Expired(ApiException problem, int attempts) implements CallResult {}
}
