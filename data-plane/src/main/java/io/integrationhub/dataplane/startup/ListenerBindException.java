package io.integrationhub.dataplane.startup;

/** A listener did not bind its port: start-up stops, and the message names the port, the setting and the cause. */
public final class ListenerBindException extends RuntimeException {
    ListenerBindException(String message) {
        super(message);
    }
}
