package io.integrationhub.registry.dlq;

/** Where a dead letter stands: parked, being replayed, resolved, or finally given up. */
public enum DeadLetterStatus {
    PENDING,
    RETRYING,
    SUCCEEDED,
    FAILED
}
