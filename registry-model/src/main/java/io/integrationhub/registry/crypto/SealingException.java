package io.integrationhub.registry.crypto;

/**
 * A sealed value could not be opened: unknown key id, another owner (associated data), or tampered
 * bytes. The message names the key id and the owner, never any plaintext.
 */
public final class SealingException extends RuntimeException {
    public SealingException(String message) {
        super(message);
    }

    public SealingException(String message, Throwable cause) {
        super(message, cause);
    }
}
