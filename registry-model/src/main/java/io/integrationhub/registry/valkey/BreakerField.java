package io.integrationhub.registry.valkey;

/** The fields of a provider's breaker hash ({@link ValkeyKeys#breaker}). */
public enum BreakerField {
    /** A {@link BreakerState}. */
    STATE("state"),
    /** Incremented on every transition; outcomes of calls admitted under an older one are dropped. */
    GENERATION("gen"),
    /** Epoch ms an open breaker may half-open at. */
    OPEN_UNTIL("open_until"),
    /** Epoch ms the running half-open probe's lease ends at (its owner may have died). */
    PROBE_UNTIL("probe_until"),
    /** Failures counted in the current failure window. */
    FAILURES("failures"),
    /** Epoch ms the current failure window started at. */
    FIRST_FAILURE("first_failure");

    private final String stored;

    BreakerField(String stored) {
        this.stored = stored;
    }

    public String stored() {
        return stored;
    }
}
