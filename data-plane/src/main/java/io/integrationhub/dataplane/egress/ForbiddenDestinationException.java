package io.integrationhub.dataplane.egress;

/** The provider's host resolved only to addresses the hub may not connect to. */
public final class ForbiddenDestinationException extends RuntimeException {
    public ForbiddenDestinationException(String message) {
        super(message, null, false, false);
    }
}
