package io.integrationhub.registry.valkey;

import java.util.Optional;

/** A breaker's state as stored in the {@link BreakerField#STATE} field. */
public enum BreakerState {
    CLOSED("closed"),
    OPEN("open"),
    HALF_OPEN("half_open");

    private final String stored;

    BreakerState(String stored) {
        this.stored = stored;
    }

    /** The value in Valkey (and in health answers). */
    public String stored() {
        return stored;
    }

    /**
     * What a stored value means: a missing hash or field is a breaker that never failed (closed);
     * anything else unknown is empty, never guessed.
     */
    public static Optional<BreakerState> ofStored(String value) {
        if (value == null) {
            return Optional.of(CLOSED);
        }
        for (BreakerState state : values()) {
            if (state.stored.equals(value)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
