package io.integrationhub.controlplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rendered manifests read as the API server reads them: into fabric8's typed objects, but a string
 * where the model holds a number or boolean (a quoted {@code replicas: "2"}, which Jackson coerces)
 * or the other way round (an unquoted env value) is refused, as the API server refuses it, and so is
 * any field left over (fabric8 keeps fields
 * it does not know, such as {@code containerport}, in {@code additionalProperties}; the API server
 * refuses them under {@code kubectl apply}'s strict field validation).
 */
final class StrictManifests {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private StrictManifests() {}

    /** Every object of a multi-document YAML text; an AssertionError names each unknown or mistyped field. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.isBlank() || document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            HasMetadata resource;
            JsonNode raw;
            try {
                raw = YAML.readTree(document);
                resource = (HasMetadata)
                        Serialization.unmarshal(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                problems.add(source(document) + ": " + rootCause(e));
                continue;
            }
            String name = resource.getKind() + "/" + resource.getMetadata().getName();
            leftovers(resource, name, problems);
            coerced(raw, Serialization.jsonMapper().valueToTree(resource), name, problems);
            objects.add(resource);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "the rendered chart has fields the API server would refuse:\n  " + String.join("\n  ", problems));
        }
        return objects;
    }

    /** Fields a fabric8 model object did not know, anywhere below {@code value}. */
    private static void leftovers(Object value, String path, List<String> problems) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                leftovers(list.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> leftovers(v, path + "." + k, problems));
            return;
        }
        // A kind fabric8 has no model for (ServiceMonitor, PrometheusRule) is all "additional" properties: not checked
        // here.
        if (!(value instanceof KubernetesResource)
                || value instanceof GenericKubernetesResource
                || !value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        try {
            for (PropertyDescriptor property :
                    Introspector.getBeanInfo(value.getClass(), Object.class).getPropertyDescriptors()) {
                if (property.getReadMethod() == null) {
                    continue;
                }
                Object child = property.getReadMethod().invoke(value);
                if (property.getName().equals("additionalProperties") && child instanceof Map<?, ?> extra) {
                    extra.forEach((k, v) -> problems.add(path + ": unknown field \"" + k + "\" (value " + v + ")"));
                } else if (child != null) {
                    leftovers(child, path + "." + property.getName(), problems);
                }
            }
        } catch (IntrospectionException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + value.getClass().getName(), e);
        }
    }

    /** Where the document said a string and the model holds a number or boolean, or the other way round. */
    private static void coerced(JsonNode raw, JsonNode typed, String path, List<String> problems) {
        if (raw == null || typed == null) {
            return;
        }
        if (raw.isObject() && typed.isObject()) {
            raw.properties()
                    .forEach(field -> coerced(
                            field.getValue(), typed.get(field.getKey()), path + "." + field.getKey(), problems));
        } else if (raw.isArray() && typed.isArray()) {
            for (int i = 0; i < raw.size(); i++) {
                coerced(raw.get(i), typed.get(i), path + "[" + i + "]", problems);
            }
        } else if (raw.isTextual() != typed.isTextual() && !raw.isNull() && !typed.isNull()) {
            problems.add(path + ": " + raw + " is a "
                    + (raw.isTextual() ? "string" : raw.getNodeType().name().toLowerCase(Locale.ROOT))
                    + " where the API expects "
                    + (typed.isTextual()
                            ? "a string"
                            : "a " + typed.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
    }

    private static String source(String document) {
        return document.lines()
                .filter(l -> l.startsWith("# Source: "))
                .findFirst()
                .map(l -> l.substring(10))
                .orElse("a document");
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null
                ? cause.toString()
                : cause.getMessage().lines().findFirst().orElse("");
    }
}
