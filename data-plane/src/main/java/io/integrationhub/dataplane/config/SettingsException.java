package io.integrationhub.dataplane.config;

/** A setting is missing or has a bad value; the message is one line naming the variable. */
public final class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message, null, false, false);
    }
}
