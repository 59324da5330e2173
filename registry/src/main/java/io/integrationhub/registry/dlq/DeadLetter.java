package io.integrationhub.registry.dlq;

import java.time.Instant;

/**
 * A dead letter as stored; the request stays sealed until {@link DeadLetterRepository#openRequest} opens it.
 * {@code module} is the module that made the call (null for entries parked before it was kept).
 */
public record DeadLetter(
        String id,
        String tenantId,
        String providerId,
        String idempotencyKey,
        String method,
        String path,
        LastError lastError,
        int attempts,
        DeadLetterStatus status,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        String module) {}
