package io.integrationhub.cli.apply;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.input.Documents;
import io.integrationhub.cli.input.Source;
import io.integrationhub.crds.CrdConstants;
import io.integrationhub.crds.Provider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Provider and Secret documents of the input, several per file, {@code kind: List} unwrapped.
 * Other kinds are skipped with a warning. A Provider is read into the crds model exactly as the API
 * server would accept it: an unknown field is an error naming its path.
 */
final class Manifests {
    private static final ObjectMapper RESOURCES =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** fabric8's model logs through slf4j to JUL; a command line shows only its own messages. Held, so the level sticks. */
    private static final Logger FABRIC8 = Logger.getLogger("io.fabric8");

    static {
        FABRIC8.setLevel(Level.OFF);
    }

    final List<ProviderManifest> providers = new ArrayList<>();
    final List<SecretManifest> secrets = new ArrayList<>();

    private Manifests() {}

    static Manifests read(List<Source> sources, Consumer<String> warn) {
        Manifests manifests = new Manifests();
        for (Source source : sources) {
            for (JsonNode document : Documents.parseAll(source)) {
                manifests.add(source.name(), document, warn);
            }
        }
        return manifests;
    }

    private void add(String source, JsonNode document, Consumer<String> warn) {
        if (!document.isObject()) {
            throw HubctlException.usage(
                    source + ": every document must be a Kubernetes resource (an object with kind)");
        }
        String kind = Json.text(document, "kind");
        String apiVersion = Json.text(document, "apiVersion");
        if ("List".equals(kind)) {
            document.path("items").forEach(item -> add(source, item, warn));
        } else if (CrdConstants.KIND.equals(kind) && CrdConstants.API_VERSION.equals(apiVersion)) {
            providers.add(new ProviderManifest(source, provider(source, document)));
        } else if ("Secret".equals(kind) && "v1".equals(apiVersion)) {
            secrets.add(secret(source, document));
        } else {
            warn.accept(source + ": skipped " + (kind == null ? "a document without kind" : apiVersion + " " + kind)
                    + (Json.text(document, "metadata.name") == null ? "" : "/" + Json.text(document, "metadata.name"))
                    + "; hubctl applies " + CrdConstants.API_VERSION + " Provider (and reads v1 Secret)");
        }
    }

    private static Provider provider(String source, JsonNode document) {
        Provider provider;
        try {
            provider = RESOURCES.treeToValue(document, Provider.class);
        } catch (UnrecognizedPropertyException e) {
            throw HubctlException.invalid(
                    source + ": Provider " + Json.text(document, "metadata.name") + " has an unknown field " + path(e),
                    List.of());
        } catch (JsonMappingException e) {
            throw HubctlException.invalid(
                    source + ": Provider " + Json.text(document, "metadata.name") + ": " + path(e)
                            + " has a value of the wrong type or not one of its allowed values",
                    List.of());
        } catch (Exception e) {
            throw HubctlException.invalid(
                    source + ": Provider " + Json.text(document, "metadata.name") + " cannot be read", List.of());
        }
        if (provider.getMetadata() == null
                || provider.getMetadata().getName() == null
                || provider.getMetadata().getName().isBlank()) {
            throw HubctlException.invalid(source + ": a Provider has no metadata.name", List.of());
        }
        if (provider.getSpec() == null) {
            throw HubctlException.invalid(
                    source + ": Provider " + provider.getMetadata().getName() + " has no spec", List.of());
        }
        return provider;
    }

    private static SecretManifest secret(String source, JsonNode document) {
        String name = Json.text(document, "metadata.name");
        if (name == null) {
            throw HubctlException.invalid(source + ": a Secret has no metadata.name", List.of());
        }
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode data = document.path("data");
        data.fieldNames().forEachRemaining(key -> {
            JsonNode value = data.get(key);
            if (value == null || value.isNull()) {
                return;
            }
            try {
                values.put(key, new String(Base64.getMimeDecoder().decode(value.asText()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw HubctlException.invalid(
                        source + ": Secret " + name + " key '" + key + "' in data is not valid base64", List.of());
            }
        });
        JsonNode stringData = document.path("stringData");
        stringData.fieldNames().forEachRemaining(key -> {
            JsonNode value = stringData.get(key);
            if (value != null && !value.isNull()) {
                values.put(key, value.isTextual() ? value.textValue() : value.toString());
            }
        });
        return new SecretManifest(source, name, Json.text(document, "metadata.namespace"), values);
    }

    /** The JSON path of a mapping failure, e.g. {@code spec.config.timeoutMs}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(document)" : path.toString();
    }
}
