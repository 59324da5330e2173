package io.integrationhub.dataplane.call;

/** An attempt got no answer from the provider. */
final class AttemptFailedException extends Exception {
    enum Kind {
        TIMEOUT,
        NETWORK,
        FORBIDDEN_DESTINATION
    }

    private final Kind kind;
    private final boolean nothingSent;

    AttemptFailedException(Kind kind, String message) {
        this(kind, message, false);
    }

    /** @param nothingSent whether the failure proves no byte of the request reached the provider */
    AttemptFailedException(Kind kind, String message, boolean nothingSent) {
        super(message, null, false, false);
        this.kind = kind;
        this.nothingSent = nothingSent;
    }

    /** True only when the attempt provably never reached the provider (no connection, no address, no TLS session). */
    boolean nothingSent() {
        return nothingSent;
    }

    Kind kind() {
        return kind;
    }
}
