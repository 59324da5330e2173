package io.integrationhub.registry.idempotency;

/** What claiming an idempotency key found. */
public sealed interface Claim {
    /** The caller owns the key now and may call the provider. {@code dlqEntryId}: an earlier run parked there. */
    record Proceed(String dlqEntryId) implements Claim {}

    /** The call already completed: answer with the stored response, do not call the provider. */
    record Replay(StoredResponse response) implements Claim {}

    /** Another call with this key is running right now. */
    record InFlight() implements Claim {}

    /** The key was used for a different request (method, path, query or body). */
    record Mismatch() implements Claim {}
}
