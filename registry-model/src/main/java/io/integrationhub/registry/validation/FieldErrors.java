package io.integrationhub.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Collects errors while a JSON document is read field by field, and offers the typed reads that
 * record an error instead of throwing, so one pass reports everything that is wrong.
 */
public final class FieldErrors {
    private final List<FieldError> errors = new ArrayList<>();

    public void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    /** Records every field of {@code object} not in {@code known}. */
    public void rejectUnknown(JsonNode object, String prefix, Set<String> known) {
        object.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                add(path(prefix, name), "unknown field");
            }
        });
    }

    /** The object at {@code field}, or null (recording an error if present but not an object). */
    public JsonNode object(JsonNode parent, String prefix, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            add(path(prefix, field), "must be an object");
            return null;
        }
        return node;
    }

    /** A string at {@code field}; null if absent (recording an error when required or mistyped). */
    public String string(JsonNode parent, String prefix, String field, boolean required, int maxLength) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                add(path(prefix, field), "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            add(path(prefix, field), "must be a string");
            return null;
        }
        String value = node.textValue();
        if (value.length() > maxLength) {
            add(path(prefix, field), "must be at most " + maxLength + " characters");
            return null;
        }
        return value;
    }

    /** An integer within [min, max]; {@code fallback} when absent or invalid (the error is recorded). */
    public Integer integer(JsonNode parent, String prefix, String field, long min, long max, Integer fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            add(path(prefix, field), "must be an integer from " + min + " to " + max);
            return fallback;
        }
        return (int) node.longValue();
    }

    /** A number within [min, max]; {@code fallback} when absent or invalid (the error is recorded). */
    public double number(JsonNode parent, String prefix, String field, double min, double max, double fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()
                || !Double.isFinite(node.doubleValue())
                || node.doubleValue() < min
                || node.doubleValue() > max) {
            add(path(prefix, field), "must be a number from " + min + " to " + max);
            return fallback;
        }
        return node.doubleValue();
    }

    /** A boolean; {@code fallback} when absent or invalid (the error is recorded). */
    public boolean bool(JsonNode parent, String prefix, String field, boolean fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            add(path(prefix, field), "must be true or false");
            return fallback;
        }
        return node.booleanValue();
    }

    public static String path(String prefix, String field) {
        return prefix == null || prefix.isEmpty() ? field : prefix + "." + field;
    }
}
