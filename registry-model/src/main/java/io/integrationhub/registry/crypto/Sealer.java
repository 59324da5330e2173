package io.integrationhub.registry.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens secrets with AES-256-GCM: a random 96-bit nonce per seal and the owner (provider
 * id and tenant) as associated data, so a sealed value copied onto another row does not open.
 */
public final class Sealer {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** Ciphers kept for reuse: at most this many idle ones (about the calls sealing or opening at once). */
    static final int POOLED_CIPHERS = 64;

    private final MasterKeys keys;
    private final SecureRandom random = new SecureRandom();
    /**
     * Idle ciphers. Every keyed call seals its answer, and a fresh Cipher per seal cost a provider lookup
     * (Cipher.getInstance) and the AES key schedule on init; a reused one skips both (the JDK's AES keeps the
     * schedule of the last key it was given): about half of seal's CPU in the keyed profile of issue 19. A
     * Cipher is not thread-safe, so each is taken out while in use, and every use begins with init (a fresh
     * nonce, and for GCM no state carried over from the last use).
     */
    private final ArrayBlockingQueue<Cipher> idle = new ArrayBlockingQueue<>(POOLED_CIPHERS);

    public Sealer(MasterKeys keys) {
        this.keys = keys;
    }

    /** Seals {@code plaintext} for the given owner under the current master key. */
    public Sealed seal(byte[] plaintext, Owner owner) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher();
            cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(owner.associatedData());
            byte[] ciphertext = cipher.doFinal(plaintext);
            // Back only after a use that ended normally: one that threw is dropped, whatever state it is in.
            idle.offer(cipher);
            return new Sealed(
                    keys.currentKeyId(),
                    ByteBuffer.allocate(NONCE_BYTES + ciphertext.length)
                            .put(nonce)
                            .put(ciphertext)
                            .array());
        } catch (GeneralSecurityException e) {
            throw new SealingException("sealing failed for " + owner, e);
        }
    }

    /**
     * Opens a value sealed for {@code owner} under any known master key.
     *
     * @throws SealingException if the key id is unknown, the owner differs or the bytes were altered
     */
    public byte[] open(Sealed sealed, Owner owner) {
        SecretKey key = keys.byId(sealed.keyId());
        if (key == null) {
            throw new SealingException("sealed with unknown master key id '" + sealed.keyId() + "' (" + owner + ")");
        }
        byte[] bytes = sealed.bytes();
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealingException("sealed value is truncated (" + owner + ")");
        }
        try {
            Cipher cipher = cipher();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(owner.associatedData());
            byte[] plaintext = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            idle.offer(cipher);
            return plaintext;
        } catch (AEADBadTagException e) {
            throw new SealingException("sealed value does not open: tampered, or sealed for another owner than " + owner
                    + " (key id '" + sealed.keyId() + "')");
        } catch (GeneralSecurityException e) {
            throw new SealingException("opening failed (" + owner + ")", e);
        }
    }

    private Cipher cipher() throws GeneralSecurityException {
        Cipher cipher = idle.poll();
        return cipher != null ? cipher : Cipher.getInstance("AES/GCM/NoPadding");
    }

    /** True when the value is already sealed under the current master key. */
    public boolean isCurrent(Sealed sealed) {
        return sealed.keyId().equals(keys.currentKeyId());
    }

    /** Opens under whatever key sealed it and seals again under the current key (key rotation). */
    public Sealed reseal(Sealed sealed, Owner owner) {
        return seal(open(sealed, owner), owner);
    }

    /** Who a sealed value belongs to; bound into the ciphertext as associated data. */
    public record Owner(String tenantId, String recordId) {
        byte[] associatedData() {
            return (tenantId + '\u0000' + recordId).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "tenant " + tenantId + ", record " + recordId;
        }
    }
}
