package io.integrationhub.controlplane.reconcile;

/**
 * An expected reason why a Provider cannot be applied now. It becomes Ready=False with this reason
 * and message, so the message names fields and Secret keys but never a credential value. No stack
 * trace: it is an outcome, not a fault.
 */
public final class NotReadyException extends Exception {
    private final ReadyReason reason;

    public NotReadyException(ReadyReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ReadyReason reason() {
        return reason;
    }
}
