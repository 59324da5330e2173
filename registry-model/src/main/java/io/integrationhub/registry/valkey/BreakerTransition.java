package io.integrationhub.registry.valkey;

/** A change of breaker state; its name is the suffix of the {@code circuit.<name>} event. */
public enum BreakerTransition {
    OPENED("opened", BreakerState.OPEN),
    HALF_OPENED("half_opened", BreakerState.HALF_OPEN),
    CLOSED("closed", BreakerState.CLOSED);

    private final String stored;
    private final BreakerState to;

    BreakerTransition(String stored, BreakerState to) {
        this.stored = stored;
        this.to = to;
    }

    /** The name the scripts answer and publish, and the event type's suffix. */
    public String stored() {
        return stored;
    }

    /** The state it leads to. */
    public BreakerState to() {
        return to;
    }

    /** The transition a script answered, or null for '' (none) or anything unknown. */
    public static BreakerTransition ofStored(String value) {
        for (BreakerTransition transition : values()) {
            if (transition.stored.equals(value)) {
                return transition;
            }
        }
        return null;
    }
}
