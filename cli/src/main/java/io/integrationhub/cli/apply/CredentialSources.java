package io.integrationhub.cli.apply;

import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.input.InputFiles;
import io.integrationhub.crds.spec.AuthSpec;
import io.integrationhub.crds.spec.SecretRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a Provider's credential values come from, per entry, first found wins:
 * <ol>
 *   <li>{@code --from-file KEY=PATH}: the file's content (one trailing line break dropped), KEY being
 *       the Secret key that {@code spec.auth.secretRef} maps the entry to, or the entry's own name;</li>
 *   <li>{@code --from-env PREFIX}: the variable PREFIX + the Secret key in upper snake case
 *       ({@code api-key} and {@code apiKey} both read {@code PREFIX}{@code API_KEY});</li>
 *   <li>the Secret named by {@code secretRef.name} among the input's documents (same namespace when
 *       both name one).</li>
 * </ol>
 * Never from a plain flag, so no credential lands in the shell history. Messages name entries,
 * keys, variables and files, never values.
 */
final class CredentialSources {
    private final Map<String, Path> files;
    private final String envPrefix;
    private final Function<String, String> env;
    private final List<SecretManifest> secrets;

    CredentialSources(
            Map<String, Path> files, String envPrefix, Function<String, String> env, List<SecretManifest> secrets) {
        this.files = files;
        this.envPrefix = envPrefix;
        this.env = env;
        this.secrets = secrets;
    }

    /**
     * The credential entries of the Provider, or empty when no source has any of them (an existing
     * provider then keeps what it has stored).
     *
     * @throws HubctlException (usage) when some entries are found and others are not
     */
    Optional<Map<String, String>> resolve(ProviderManifest manifest) {
        AuthSpec auth = manifest.resource().getSpec().getAuth();
        String type = auth == null || auth.getType() == null
                ? "none"
                : io.integrationhub.cli.http.Json.mapper()
                        .valueToTree(auth.getType())
                        .asText();
        List<String> entries = CredentialEntries.of(type);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        SecretRef ref = auth.getSecretRef();
        Optional<SecretManifest> secret = ref == null ? Optional.empty() : secret(ref.getName(), manifest.namespace());
        Map<String, String> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String entry : entries) {
            String key = ref == null ? entry : ref.secretKeyFor(entry);
            String value = fromFile(key, entry);
            if (value == null && envPrefix != null) {
                value = env.apply(envName(key));
            }
            if (value == null && secret.isPresent()) {
                value = secret.get().values().get(key);
            }
            if (value == null) {
                missing.add(entry + " (" + describe(key, secret, ref) + ")");
            } else {
                values.put(entry, value);
            }
        }
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (!missing.isEmpty()) {
            throw HubctlException.usage("provider " + manifest.name() + ": no value for " + String.join(", ", missing));
        }
        return Optional.of(values);
    }

    /** What to tell a user whose Provider needs credentials that no source gave. */
    String howToGive(ProviderManifest manifest) {
        AuthSpec auth = manifest.resource().getSpec().getAuth();
        SecretRef ref = auth == null ? null : auth.getSecretRef();
        return "add the Secret" + (ref == null ? "" : " " + ref.getName()) + " to the input, or use --from-env PREFIX"
                + " or --from-file KEY=PATH";
    }

    /** The environment variable --from-env reads for a Secret key. */
    String envName(String secretKey) {
        return envPrefix + upperSnake(secretKey);
    }

    static String upperSnake(String key) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(key.charAt(i - 1))) {
                name.append('_');
            }
            name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString().toUpperCase(Locale.ROOT);
    }

    private String fromFile(String key, String entry) {
        Path path = files.containsKey(key) ? files.get(key) : files.get(entry);
        if (path == null) {
            return null;
        }
        String content = new String(InputFiles.file(path).bytes(), StandardCharsets.UTF_8);
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }

    private Optional<SecretManifest> secret(String name, String namespace) {
        return secrets.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.namespace() == null
                        || namespace == null
                        || s.namespace().equals(namespace))
                .findFirst();
    }

    private String describe(String key, Optional<SecretManifest> secret, SecretRef ref) {
        List<String> places = new ArrayList<>();
        places.add("--from-file " + key + "=PATH");
        if (envPrefix != null) {
            places.add("$" + envName(key));
        }
        if (ref != null) {
            places.add(
                    secret.isPresent()
                            ? "key '" + key + "' of Secret " + ref.getName()
                            : "Secret " + ref.getName() + " (not in the input)");
        }
        return "looked in " + String.join(", ", places);
    }
}
