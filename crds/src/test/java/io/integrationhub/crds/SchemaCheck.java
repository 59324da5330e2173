package io.integrationhub.crds;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The subset of structural-schema validation the API server applies that our CRD uses: types,
 * enums, patterns, lengths, ranges, item and property counts, required fields and pruning of
 * unknown fields (reported here instead of silently dropped). CEL rules are not evaluated.
 */
final class SchemaCheck {
    private SchemaCheck() {}

    static List<String> violations(JsonNode value, JSONSchemaProps schema) {
        List<String> out = new ArrayList<>();
        check("", value, schema, out);
        return out;
    }

    private static void check(String path, JsonNode value, JSONSchemaProps schema, List<String> out) {
        String type = schema.getType();
        if (type != null && !hasType(value, type)) {
            out.add(path + ": must be " + type);
            return;
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()
                && schema.getEnum().stream().map(JsonNode::asText).noneMatch(value.asText()::equals)) {
            out.add(path + ": not one of " + schema.getEnum());
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (schema.getPattern() != null && !text.matches(schema.getPattern())) {
                out.add(path + ": does not match " + schema.getPattern());
            }
            if (schema.getMaxLength() != null && text.length() > schema.getMaxLength()) {
                out.add(path + ": longer than " + schema.getMaxLength());
            }
            if (schema.getMinLength() != null && text.length() < schema.getMinLength()) {
                out.add(path + ": shorter than " + schema.getMinLength());
            }
        }
        if (value.isNumber()) {
            if (schema.getMinimum() != null && value.doubleValue() < schema.getMinimum()) {
                out.add(path + ": below " + schema.getMinimum());
            }
            if (schema.getMaximum() != null && value.doubleValue() > schema.getMaximum()) {
                out.add(path + ": above " + schema.getMaximum());
            }
        }
        if (value.isArray()) {
            if (schema.getMaxItems() != null && value.size() > schema.getMaxItems()) {
                out.add(path + ": more than " + schema.getMaxItems() + " items");
            }
            for (int i = 0; i < value.size(); i++) {
                check(path + "[" + i + "]", value.get(i), schema.getItems().getSchema(), out);
            }
        }
        if (value.isObject()) {
            if (schema.getMaxProperties() != null && value.size() > schema.getMaxProperties()) {
                out.add(path + ": more than " + schema.getMaxProperties() + " properties");
            }
            if (schema.getRequired() != null) {
                schema.getRequired().stream().filter(r -> !value.has(r)).forEach(r -> out.add(child(path, r) + ": is required"));
            }
            Map<String, JSONSchemaProps> properties = schema.getProperties();
            JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null
                    : schema.getAdditionalProperties().getSchema();
            value.fields().forEachRemaining(field -> {
                String fieldPath = child(path, field.getKey());
                if (properties != null && properties.containsKey(field.getKey())) {
                    check(fieldPath, field.getValue(), properties.get(field.getKey()), out);
                } else if (additional != null) {
                    check(fieldPath, field.getValue(), additional, out);
                } else if (!Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields()) && properties != null) {
                    out.add(fieldPath + ": unknown field (the API server would prune it)");
                }
            });
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> true;
        };
    }

    private static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
