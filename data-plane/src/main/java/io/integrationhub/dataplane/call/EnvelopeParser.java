package io.integrationhub.dataplane.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.validation.FieldErrors;
import io.integrationhub.registry.validation.ValidationException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the JSON envelope of {@code POST /integrations/call} into a {@link CallRequest}, naming every
 * offending field at once. {@code body} is sent as JSON; other payloads come as {@code bodyBase64}
 * with their {@code contentType}.
 */
final class EnvelopeParser {
    private static final Set<String> FIELDS = Set.of("providerId", "provider", "method", "path", "query", "headers", "body",
            "bodyBase64", "contentType", "idempotencyKey", "timeoutMs");
    private static final int MAX_QUERY_PARAMETERS = 200;

    private EnvelopeParser() {}

    static CallRequest parse(JsonNode envelope, String traceparent) {
        if (envelope == null || !envelope.isObject()) {
            throw ValidationException.of("$", "the call envelope must be a JSON object");
        }
        FieldErrors errors = new FieldErrors();
        errors.rejectUnknown(envelope, "", FIELDS);
        String providerId = errors.string(envelope, "", "providerId", false, 200);
        String providerName = errors.string(envelope, "", "provider", false, 200);
        if (providerId == null && providerName == null && !envelope.hasNonNull("providerId") && !envelope.hasNonNull("provider")) {
            errors.add("provider", "name the provider by 'providerId' or 'provider'");
        } else if (providerId != null && providerName != null) {
            errors.add("provider", "give either 'providerId' or 'provider', not both");
        }
        String method = errors.string(envelope, "", "method", true, 10);
        String path = errors.string(envelope, "", "path", true, 4096);
        String query = query(envelope, errors);
        Map<String, List<String>> headers = headers(envelope, errors);
        String idempotencyKey = errors.string(envelope, "", "idempotencyKey", false, 255);
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
            errors.add("idempotencyKey", "must be 1-255 visible ASCII characters");
        }
        Integer timeoutMs = errors.integer(envelope, "", "timeoutMs", 1, 30_000, null);
        String contentType = errors.string(envelope, "", "contentType", false, 255);
        byte[] body = null;
        if (envelope.has("body") && envelope.has("bodyBase64")) {
            errors.add("body", "give either 'body' (JSON) or 'bodyBase64', not both");
        } else if (envelope.has("body") && !envelope.get("body").isNull()) {
            try {
                body = Json.mapper().writeValueAsBytes(envelope.get("body"));
            } catch (JsonProcessingException e) {
                errors.add("body", "could not be serialized");
            }
            if (contentType == null) {
                contentType = "application/json";
            }
        } else if (envelope.has("bodyBase64")) {
            String encoded = errors.string(envelope, "", "bodyBase64", true, Integer.MAX_VALUE);
            if (encoded != null) {
                try {
                    body = Base64.getDecoder().decode(encoded);
                } catch (IllegalArgumentException e) {
                    errors.add("bodyBase64", "is not valid base64");
                }
                if (contentType == null) {
                    errors.add("contentType", "is required with bodyBase64");
                }
            }
        }
        if (contentType != null && contentType.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            errors.add("contentType", "must not contain control characters");
        }
        errors.throwIfAny();
        return new CallRequest(providerId != null ? providerId : providerName, method.toUpperCase(Locale.ROOT), path, query,
                headers, body == null ? null : contentType, body, idempotencyKey, timeoutMs, traceparent);
    }

    /** {@code query}: an object of name -> string | number | boolean | list of those; encoded in its order. */
    private static String query(JsonNode envelope, FieldErrors errors) {
        JsonNode node = errors.object(envelope, "", "query");
        if (node == null) {
            return null;
        }
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            List<JsonNode> values = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(values::add);
            } else {
                values.add(value);
            }
            for (JsonNode single : values) {
                if (single.isValueNode() && !single.isNull()) {
                    parameters.add(Map.entry(field.getKey(), single.asText()));
                } else {
                    errors.add("query." + field.getKey(), "must be a string, number, boolean or a list of those");
                }
            }
        });
        if (parameters.size() > MAX_QUERY_PARAMETERS) {
            errors.add("query", "must have at most " + MAX_QUERY_PARAMETERS + " parameters");
        }
        return parameters.isEmpty() ? null : OutboundPaths.encode(parameters);
    }

    /** {@code headers}: an object of name -> string | list of strings. */
    private static Map<String, List<String>> headers(JsonNode envelope, FieldErrors errors) {
        JsonNode node = errors.object(envelope, "", "headers");
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (node == null) {
            return headers;
        }
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            List<String> values = new ArrayList<>();
            if (value.isTextual()) {
                values.add(value.textValue());
            } else if (value.isArray()) {
                value.forEach(single -> {
                    if (single.isTextual()) {
                        values.add(single.textValue());
                    } else {
                        errors.add("headers." + field.getKey(), "must be a string or a list of strings");
                    }
                });
            } else {
                errors.add("headers." + field.getKey(), "must be a string or a list of strings");
            }
            headers.computeIfAbsent(field.getKey(), k -> new ArrayList<>()).addAll(values);
        });
        return headers;
    }
}
