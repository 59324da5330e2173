package io.integrationhub.cli.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.Json;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON envelope of {@code POST /api/v1/integrations/call}. A body always goes as
 * {@code bodyBase64}, so the provider reads the bytes given, not a re-serialisation (which would
 * change spacing, key order or a number's digits). Data that parses as JSON may leave out the
 * content type ({@code application/json}); other data needs one: hubctl does not guess whether text
 * is form-encoded, XML or something else.
 */
final class CallEnvelope {
    private final ObjectNode envelope = Json.object();

    CallEnvelope(String provider, String method, String path) {
        envelope.put("provider", provider)
                .put("method", method.toUpperCase(Locale.ROOT))
                .put("path", path);
    }

    ObjectNode json() {
        return envelope;
    }

    /** {@code -H 'Name: value'}, repeatable; a repeated name sends several values. */
    CallEnvelope headers(List<String> headers) {
        for (String header : headers) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? "" : header.substring(0, colon).trim();
            if (name.isEmpty() || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw HubctlException.usage(
                        "-H takes 'Name: value', e.g. -H 'Accept: application/json'; got a header without a valid name");
            }
            add(envelope.with("headers"), name, header.substring(colon + 1).trim());
        }
        return this;
    }

    /** {@code -q name=value}, repeatable, kept in order; a repeated name sends several values. */
    CallEnvelope query(List<String> parameters) {
        for (String parameter : parameters) {
            int equals = parameter.indexOf('=');
            if (equals <= 0) {
                throw HubctlException.usage("-q takes name=value, e.g. -q limit=10; got '" + parameter + "'");
            }
            add(envelope.with("query"), parameter.substring(0, equals), parameter.substring(equals + 1));
        }
        return this;
    }

    CallEnvelope body(byte[] data, String contentType) {
        if (data == null) {
            if (contentType != null) {
                envelope.put("contentType", contentType);
            }
            return this;
        }
        boolean jsonType = contentType == null || isJson(contentType);
        Optional<JsonNode> json = jsonType ? Json.tryParse(data) : Optional.empty();
        if (json.isPresent()) {
            envelope.put("bodyBase64", Base64.getEncoder().encodeToString(data))
                    .put("contentType", contentType == null ? "application/json" : contentType);
        } else if (contentType == null) {
            throw HubctlException.usage("the data is not JSON; say what it is with --content-type"
                    + " (e.g. application/x-www-form-urlencoded, text/plain, application/xml)");
        } else if (isJson(contentType)) {
            throw HubctlException.usage("the data is not valid JSON, but --content-type is " + contentType);
        } else {
            envelope.put("bodyBase64", Base64.getEncoder().encodeToString(data)).put("contentType", contentType);
        }
        return this;
    }

    CallEnvelope idempotencyKey(String key) {
        if (key != null) {
            envelope.put("idempotencyKey", key);
        }
        return this;
    }

    CallEnvelope timeoutMs(Integer timeoutMs) {
        if (timeoutMs != null) {
            envelope.put("timeoutMs", timeoutMs);
        }
        return this;
    }

    static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static void add(ObjectNode object, String name, String value) {
        JsonNode existing = object.get(name);
        if (existing == null) {
            object.put(name, value);
        } else if (existing instanceof ArrayNode array) {
            array.add(value);
        } else {
            object.putArray(name).add(existing).add(value);
        }
    }
}
