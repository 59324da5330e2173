package io.integrationhub.dataplane.admission;

/** The shared state could not be reached in time; the caller falls back to deciding alone. */
public final class ValkeyUnavailableException extends RuntimeException {
    public ValkeyUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
