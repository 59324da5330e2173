package io.integrationhub.registry.valkey;

/**
 * Published on {@link ValkeyKeys#events()} as {@code <event> <providerId>} whenever something an
 * instance may have cached about a provider changes: every breaker transition, a provider's pause,
 * and the first failure counted under a closed breaker (successes must then be sent again, to reset
 * it). Instances drop what they cached for the provider on receipt.
 */
public enum AdmissionEvent {
    OPENED(BreakerTransition.OPENED.stored()),
    HALF_OPENED(BreakerTransition.HALF_OPENED.stored()),
    CLOSED(BreakerTransition.CLOSED.stored()),
    PAUSED("paused"),
    FAILING("failing");

    private final String stored;

    AdmissionEvent(String stored) {
        this.stored = stored;
    }

    public String stored() {
        return stored;
    }

    /** The message for a provider. */
    public String message(String providerId) {
        return stored + " " + providerId;
    }

    /** A received message's event, or null when it is not one. */
    public static AdmissionEvent ofMessage(String message) {
        int space = message.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String name = message.substring(0, space);
        for (AdmissionEvent event : values()) {
            if (event.stored.equals(name)) {
                return event;
            }
        }
        return null;
    }

    /** A received message's provider id. */
    public static String providerOf(String message) {
        return message.substring(message.indexOf(' ') + 1);
    }
}
