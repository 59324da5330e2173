package io.integrationhub.dataplane.call;

/** An attempt got no answer from the provider. */
final class AttemptFailedException extends Exception {
    enum Kind { TIMEOUT, NETWORK, FORBIDDEN_DESTINATION }

    private final Kind kind;

    AttemptFailedException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
