package io.integrationhub.registry.crypto;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys by key id, and which one seals new values. Old keys stay so that values sealed
 * under them still open until they are re-sealed.
 */
public final class MasterKeys {
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int KEY_BYTES = 32;

    private final Map<String, SecretKey> keys;
    private final String currentKeyId;

    private MasterKeys(Map<String, SecretKey> keys, String currentKeyId) {
        this.keys = Collections.unmodifiableMap(keys);
        this.currentKeyId = currentKeyId;
    }

    /**
     * Parses {@code kid:base64key[,kid:base64key...]} (the form of {@code INTEGRATION_MASTER_KEYS}).
     * {@code currentKeyId} may be null when there is exactly one key.
     *
     * @throws IllegalArgumentException naming what is wrong, never echoing key material
     */
    public static MasterKeys parse(String spec, String currentKeyId) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no master key given; expected kid:base64key[,kid:base64key...]");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        int position = 0;
        for (String entry : spec.split(",")) {
            position++;
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("entry " + position + " is not of the form kid:base64key");
            }
            String kid = trimmed.substring(0, colon);
            if (!KEY_ID.matcher(kid).matches()) {
                throw new IllegalArgumentException("entry " + position + ": key id must match " + KEY_ID.pattern());
            }
            byte[] material;
            try {
                material =
                        Base64.getDecoder().decode(trimmed.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key '" + kid + "' is not valid base64");
            }
            if (material.length != KEY_BYTES) {
                throw new IllegalArgumentException(
                        "key '" + kid + "' must be 32 bytes (AES-256), but was " + material.length);
            }
            if (keys.put(kid, new SecretKeySpec(material, "AES")) != null) {
                throw new IllegalArgumentException("key id '" + kid + "' is given twice");
            }
        }
        String current = currentKeyId == null || currentKeyId.isBlank() ? null : currentKeyId.trim();
        if (current == null) {
            if (keys.size() != 1) {
                throw new IllegalArgumentException("several master keys are given; name the sealing one by its key id");
            }
            current = keys.keySet().iterator().next();
        }
        if (!keys.containsKey(current)) {
            throw new IllegalArgumentException("sealing key id '" + current + "' is not among the master keys");
        }
        return new MasterKeys(keys, current);
    }

    /** A fresh random key in the {@code kid:base64key} form, for standalone runs and tests. */
    public static String generateSpec(String keyId) {
        byte[] material = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(material);
        return keyId + ":" + Base64.getEncoder().encodeToString(material);
    }

    String currentKeyId() {
        return currentKeyId;
    }

    SecretKey current() {
        return keys.get(currentKeyId);
    }

    SecretKey byId(String keyId) {
        return keys.get(keyId);
    }

    @Override
    public String toString() {
        return "MasterKeys[ids=" + keys.keySet() + ", current=" + currentKeyId + "]";
    }
}
