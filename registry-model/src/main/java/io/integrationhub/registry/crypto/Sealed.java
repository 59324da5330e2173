package io.integrationhub.registry.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sealed value as stored: the id of the master key that sealed it, and nonce || ciphertext || tag.
 */
public record Sealed(String keyId, byte[] bytes) {
    public Sealed {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sealed that && keyId.equals(that.keyId) && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * keyId.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Sealed[keyId=" + keyId + ", " + bytes.length + " bytes]";
    }
}
