package io.integrationhub.controlplane;

/** A setting is missing or malformed; the message is one line that names it and never echoes a secret. */
public final class SettingsException extends RuntimeException {
    public SettingsException(String variable, String problem) {
        super(variable + ": " + problem, null, false, false);
    }
}
