package io.integrationhub.crds.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The structural-schema checks the API server applies to a custom resource, with its wording: types,
 * enums, patterns, lengths, ranges, item and property counts and required fields. Fields the schema
 * does not declare are collected (a Strict request is refused for them) and removed from the object,
 * as the API server prunes them; so are nulls where the schema does not say nullable.
 */
final class StructuralSchema {
    private final JSONSchemaProps root;

    StructuralSchema(JSONSchemaProps root) {
        this.root = root;
    }

    /** What the walk found: refused fields, undeclared fields (already pruned from the object). */
    record Findings(List<FieldError> errors, List<String> unknownFields) {}

    /** Checks {@code object} (an ObjectNode, pruned in place) against the schema. */
    Findings check(ObjectNode object) {
        Findings findings = new Findings(new ArrayList<>(), new ArrayList<>());
        // apiVersion, kind and metadata belong to the API machinery, not to the CRD's schema.
        for (Map.Entry<String, JSONSchemaProps> top : root.getProperties().entrySet()) {
            JsonNode value = object.get(top.getKey());
            if (value != null
                    && value.isNull()
                    && !Boolean.TRUE.equals(top.getValue().getNullable())) {
                object.remove(top.getKey());
            } else if (value != null) {
                walk(top.getKey(), value, top.getValue(), findings);
            }
        }
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!List.of("apiVersion", "kind", "metadata").contains(name)
                    && !root.getProperties().containsKey(name)) {
                findings.unknownFields().add(name);
                names.remove();
            }
        }
        return findings;
    }

    private void walk(String path, JsonNode value, JSONSchemaProps schema, Findings findings) {
        List<FieldError> errors = findings.errors();
        String type = schema.getType();
        if (type != null && !hasType(value, type)) {
            String shown = quote(typeName(value));
            errors.add(FieldError.typeInvalid(path, shown, path + " in body must be of type " + type + ": " + shown));
            return;
        }
        if (schema.getEnum() != null
                && !schema.getEnum().isEmpty()
                && schema.getEnum().stream().noneMatch(value::equals)) {
            errors.add(FieldError.notSupported(
                    path,
                    shown(value),
                    schema.getEnum().stream().map(StructuralSchema::shown).collect(Collectors.joining(", "))));
        }
        if (value.isTextual()) {
            checkString(path, value.textValue(), schema, errors);
        }
        if (value.isNumber()) {
            if (schema.getMaximum() != null && value.doubleValue() > schema.getMaximum()) {
                errors.add(FieldError.invalid(
                        path,
                        shown(value),
                        path + " in body should be less than or equal to " + number(schema.getMaximum())));
            }
            if (schema.getMinimum() != null && value.doubleValue() < schema.getMinimum()) {
                errors.add(FieldError.invalid(
                        path,
                        shown(value),
                        path + " in body should be greater than or equal to " + number(schema.getMinimum())));
            }
        }
        if (value.isArray()) {
            if (schema.getMaxItems() != null && value.size() > schema.getMaxItems()) {
                errors.add(FieldError.tooMany(path, value.size(), schema.getMaxItems()));
            }
            JSONSchemaProps items = schema.getItems().getSchema();
            for (int i = 0; i < value.size(); i++) {
                walk(path + "[" + i + "]", value.get(i), items, findings);
                if (isIntegralFloat(value.get(i), items)) {
                    ((ArrayNode) value).set(i, value.get(i).longValue());
                }
            }
        }
        if (value.isObject()) {
            walkObject(path, (ObjectNode) value, schema, findings);
        }
    }

    private void walkObject(String path, ObjectNode value, JSONSchemaProps schema, Findings findings) {
        if (schema.getMaxProperties() != null && value.size() > schema.getMaxProperties()) {
            findings.errors().add(FieldError.tooMany(path, value.size(), schema.getMaxProperties()));
        }
        if (schema.getRequired() != null) {
            schema.getRequired().stream()
                    .filter(r -> !value.has(r))
                    .forEach(r -> findings.errors().add(FieldError.required(path + "." + r)));
        }
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        JSONSchemaProps additional = schema.getAdditionalProperties() == null
                ? null
                : schema.getAdditionalProperties().getSchema();
        boolean preserveUnknown = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String fieldPath = path + "." + field.getKey();
            JSONSchemaProps declared =
                    properties == null ? additional : properties.getOrDefault(field.getKey(), additional);
            if (declared != null && field.getValue().isNull() && !Boolean.TRUE.equals(declared.getNullable())) {
                // The API server drops a null where the schema does not say nullable, before validating.
                fields.remove();
            } else if (properties != null && properties.containsKey(field.getKey())) {
                JSONSchemaProps child = properties.get(field.getKey());
                walk(fieldPath, field.getValue(), child, findings);
                if (isIntegralFloat(field.getValue(), child)) {
                    field.setValue(
                            JsonNodeFactory.instance.numberNode(field.getValue().longValue()));
                }
            } else if (additional != null) {
                walk(fieldPath, field.getValue(), additional, findings);
            } else if (!preserveUnknown) {
                findings.unknownFields().add(fieldPath);
                fields.remove();
            }
        }
    }

    private static void checkString(String path, String text, JSONSchemaProps schema, List<FieldError> errors) {
        if (schema.getMaxLength() != null && text.length() > schema.getMaxLength()) {
            errors.add(FieldError.tooLong(path, schema.getMaxLength()));
        }
        if (schema.getMinLength() != null && text.length() < schema.getMinLength()) {
            errors.add(FieldError.invalid(
                    path, quote(text), path + " in body should be at least " + schema.getMinLength() + " chars long"));
        }
        if (schema.getPattern() != null
                && !java.util.regex.Pattern.compile(schema.getPattern())
                        .matcher(text)
                        .find()) {
            errors.add(FieldError.invalid(
                    path, quote(text), path + " in body should match '" + schema.getPattern() + "'"));
        }
    }

    /**
     * 5.0 (or -0.0) passes as an integer, as on the API server, which then serves it back as 5 (Go
     * writes an integral float64 without a fraction); a Java model reading "5.0" into an Integer fails.
     */
    private static boolean isIntegralFloat(JsonNode value, JSONSchemaProps schema) {
        return "integer".equals(schema.getType())
                && value.isFloatingPointNumber()
                && value.doubleValue() == Math.rint(value.doubleValue());
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" ->
                value.isIntegralNumber() || value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue());
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> true;
        };
    }

    private static String typeName(JsonNode value) {
        if (value.isTextual()) return "string";
        if (value.isIntegralNumber()) return "integer";
        if (value.isNumber()) return "number";
        if (value.isBoolean()) return "boolean";
        if (value.isArray()) return "array";
        return value.isObject() ? "object" : "null";
    }

    /** A value as the API server shows it in a message: strings quoted, numbers bare. */
    static String shown(JsonNode value) {
        if (value.isTextual()) return quote(value.textValue());
        if (value.isNumber() || value.isBoolean()) return value.asText();
        return quote(typeName(value));
    }

    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
