package io.integrationhub.controlplane.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.integrationhub.crds.spec.Patterns;
import io.integrationhub.crds.spec.SecretRef;
import io.integrationhub.registry.provider.AuthType;
import io.integrationhub.registry.provider.WireName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads an auth type's credential entries out of a Secret through {@code secretRef.keys}.
 * Messages name entries and Secret keys, never values.
 */
final class SecretCredentials {
    /** What Kubernetes allows as a Secret data key. */
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");
    /** What Kubernetes allows as a Secret's name. */
    private static final Pattern SECRET_NAME = Pattern.compile(Patterns.DNS_1123_SUBDOMAIN);

    private static final int MAX_SECRET_NAME_LENGTH = 253;

    private SecretCredentials() {}

    /**
     * The Secret key of each credential entry the type needs, in the type's order.
     *
     * @throws NotReadyException InvalidSpec if the Secret's name is missing or impossible, or
     *     {@code keys} maps something that is not an entry of the type or names an impossible Secret key
     */
    static Map<String, String> secretKeys(AuthType type, SecretRef ref) throws NotReadyException {
        List<String> problems = new ArrayList<>();
        if (ref.getName() == null) {
            problems.add("spec.auth.secretRef.name: is required");
        } else if (ref.getName().length() > MAX_SECRET_NAME_LENGTH
                || !SECRET_NAME.matcher(ref.getName()).matches()) {
            problems.add("spec.auth.secretRef.name: must be a Secret name (a DNS-1123 subdomain of at most "
                    + MAX_SECRET_NAME_LENGTH + " characters)");
        }
        if (ref.getKeys() != null) {
            ref.getKeys().forEach((entry, key) -> {
                String field = "spec.auth.secretRef.keys." + entry;
                if (!type.credentialKeys().contains(entry)) {
                    problems.add(field + ": is not a credential of auth type " + WireName.of(type)
                            + " (its credentials are " + type.credentialKeys() + ")");
                } else if (key == null || !SECRET_KEY.matcher(key).matches()) {
                    problems.add(field + ": must be a Secret key (letters, digits, '-', '_' and '.')");
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new NotReadyException(ReadyReason.InvalidSpec, String.join("; ", problems));
        }
        Map<String, String> keys = new LinkedHashMap<>();
        type.credentialKeys().forEach(entry -> keys.put(entry, ref.secretKeyFor(entry)));
        return keys;
    }

    /**
     * The credential entries, read from {@code data} (base64, as the API server returns Secrets) or,
     * for objects that were never stored by an API server, from {@code stringData}.
     *
     * @throws NotReadyException SecretKeyMissing naming every absent key
     */
    static Map<String, String> read(Secret secret, Map<String, String> secretKeys) throws NotReadyException {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        Map<String, String> stringData = secret.getStringData() == null ? Map.of() : secret.getStringData();
        Map<String, String> entries = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> mapping : secretKeys.entrySet()) {
            String key = mapping.getValue();
            if (data.containsKey(key) && data.get(key) != null) {
                entries.put(mapping.getKey(), decode(secret, key, data.get(key)));
            } else if (stringData.containsKey(key) && stringData.get(key) != null) {
                entries.put(mapping.getKey(), stringData.get(key));
            } else {
                missing.add("'" + key + "' (credential " + mapping.getKey() + ")");
            }
        }
        if (!missing.isEmpty()) {
            TreeSet<String> present = new TreeSet<>(data.keySet());
            present.addAll(stringData.keySet());
            throw new NotReadyException(
                    ReadyReason.SecretKeyMissing,
                    "Secret " + secret.getMetadata().getName() + " has no key " + String.join(", no key ", missing)
                            + "; its keys are " + present);
        }
        return entries;
    }

    private static String decode(Secret secret, String key, String base64) throws NotReadyException {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new NotReadyException(
                    ReadyReason.InvalidCredentials,
                    "Secret " + secret.getMetadata().getName() + " key '" + key + "' is not valid base64");
        }
    }
}
