package io.integrationhub.dataplane.call;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.body.Bodies;
import io.integrationhub.dataplane.body.Body;
import io.integrationhub.dataplane.body.BodyBuffer;
import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.validation.FieldErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the JSON envelope of {@code POST /integrations/call} as a stream, naming every offending
 * field at once. The {@code body} value is never parsed into a tree nor written again: the parser
 * only checks it (depth, token count, string and number length) and the provider receives the
 * caller's own bytes, so numbers, key order and escapes arrive exactly as written. {@code bodyBase64}
 * is decoded as it streams. The envelope itself is kept in a {@link BodyBuffer} (memory head, sealed
 * spill beyond) and the JSON body is a slice of it.
 */
final class EnvelopeParser {
    private static final Set<String> FIELDS = Set.of(
            "providerId",
            "provider",
            "method",
            "path",
            "query",
            "headers",
            "body",
            "bodyBase64",
            "contentType",
            "idempotencyKey",
            "timeoutMs",
            "alternatives");
    /** An alternative is a full request for another provider; key, timeout and further alternatives are the envelope's. */
    private static final Set<String> ALTERNATIVE_FIELDS =
            Set.of("providerId", "provider", "method", "path", "query", "headers", "body", "bodyBase64", "contentType");

    private static final int MAX_QUERY_PARAMETERS = 200;
    /** Tokens of every field but the body together: headers and query are small by nature. */
    static final int MAX_SMALL_FIELD_TOKENS = 20_000;
    /** Nesting of the JSON body. */
    static final int MAX_DEPTH = 256;
    /** Tokens of the whole envelope (a 10 MiB body of '{}' is 7 million: refused, never built). */
    static final long MAX_TOKENS = 4_000_000;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(10_000)
                    .maxStringLength(Integer.MAX_VALUE / 2)
                    .maxTokenCount(MAX_TOKENS)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private EnvelopeParser() {}

    /**
     * One request object of the envelope as read: its small fields as a tree, and where its JSON
     * body lies in the envelope's bytes (or its decoded base64 body).
     */
    private static final class Part {
        final ObjectNode fields = JsonNodeFactory.instance.objectNode();
        long bodyStart = -1;
        long bodyEnd = -1;
        boolean bodyNull;
        Body decoded;

        boolean jsonBody() {
            return bodyStart >= 0 && !bodyNull;
        }

        /** The body: a slice of the caller's own bytes (never written again), or the decoded base64. */
        Body body(BodyBuffer envelope) {
            return jsonBody()
                    ? envelope.slice(bodyStart, trimmedEnd(envelope, bodyStart, bodyEnd) - bodyStart)
                    : decoded;
        }
    }

    /**
     * Reads {@code in} (the request entity) into {@code call}'s buffers and returns the request it
     * describes; its deadline is {@code deadline} or the envelope's {@code timeoutMs}, whichever ends first.
     */
    static CallRequest parse(InputStream in, Bodies.Scope call, String traceparent, CallDeadline deadline) {
        BodyBuffer envelope = call.newBuffer();
        Part primary = new Part();
        List<Part> alternatives = new ArrayList<>();
        try (JsonParser parser = FACTORY.createParser(new Tee(in, envelope, call.maxBodyBytes()))) {
            // AUTO_CLOSE_SOURCE is off (FACTORY): the request's body stream stays open for the edge to drain.
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ApiException(ProblemType.MALFORMED_REQUEST, "the call envelope must be a JSON object");
            }
            int[] budget = {MAX_SMALL_FIELD_TOKENS};
            JsonToken token = readPart(parser, primary, call, budget, alternatives);
            if (token != JsonToken.END_OBJECT) {
                throw new ApiException(ProblemType.MALFORMED_REQUEST, "the call envelope must be a JSON object");
            }
            if (parser.nextToken() != null) {
                throw new ApiException(ProblemType.MALFORMED_REQUEST, "the body holds more than one JSON value");
            }
        } catch (InvalidBase64 e) {
            throw ApiException.validation(e.field, "is not valid base64");
        } catch (Tee.TooLarge e) {
            throw new ApiException(
                    ProblemType.PAYLOAD_TOO_LARGE, "the request body is larger than " + call.maxBodyBytes() + " bytes");
        } catch (StreamConstraintsException e) {
            throw new ApiException(
                    ProblemType.MALFORMED_REQUEST,
                    "the JSON body exceeds a parser limit (nesting depth " + MAX_DEPTH + ", " + MAX_TOKENS
                            + " tokens, number length 10000)");
        } catch (JsonParseException e) {
            String problem = e.getOriginalMessage();
            if (problem != null && problem.startsWith("Duplicate field")) {
                throw new ApiException(ProblemType.MALFORMED_REQUEST, "the call envelope names a field twice");
            }
            throw new ApiException(
                    ProblemType.MALFORMED_REQUEST,
                    "the body is not well-formed JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "the body is not well-formed JSON");
        }
        envelope.finish();
        return validate(primary, alternatives, envelope, traceparent, deadline);
    }

    /**
     * Reads the fields of one request object, up to the token that ends it (returned). The envelope
     * itself passes {@code alternatives} to collect into; an alternative passes null (they do not nest).
     */
    private static JsonToken readPart(
            JsonParser parser, Part part, Bodies.Scope call, int[] budget, List<Part> alternatives) throws IOException {
        String prefix = alternatives == null ? "alternatives[]." : "";
        JsonToken token = parser.nextToken();
        while (token == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("body")) {
                part.bodyNull = value == JsonToken.VALUE_NULL;
                part.bodyStart = parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                token = parser.nextToken();
                // The value ends where the next token starts, less the whitespace and comma between them.
                part.bodyEnd = parser.currentTokenLocation().getByteOffset();
                part.fields.putNull("body");
                continue;
            }
            if (name.equals("bodyBase64") && value == JsonToken.VALUE_STRING) {
                BodyBuffer bytes = call.newBuffer();
                try {
                    parser.readBinaryValue(bytes);
                } catch (JsonParseException | IllegalArgumentException e) {
                    throw new InvalidBase64(prefix + "bodyBase64");
                }
                part.decoded = bytes.finish();
                part.fields.put("bodyBase64", "");
            } else if (name.equals("alternatives") && alternatives != null && value == JsonToken.START_ARRAY) {
                while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                    if (alternatives.size() == CallRequest.MAX_ALTERNATIVES) {
                        throw ApiException.validation(
                                "alternatives", "must have at most " + CallRequest.MAX_ALTERNATIVES + " entries");
                    }
                    Part alternative = new Part();
                    readPart(parser, alternative, call, budget, null);
                    alternatives.add(alternative);
                }
                if (token != JsonToken.END_ARRAY) {
                    throw ApiException.validation("alternatives", "must be an array of request objects");
                }
                part.fields.putArray("alternatives");
            } else {
                part.fields.set(name, readSmall(parser, budget));
            }
            token = parser.nextToken();
        }
        return token;
    }

    /** Where the body value really ends: before the whitespace and the one comma that may follow it. */
    private static long trimmedEnd(Body envelope, long start, long end) {
        int tail = (int) Math.min(end - start, 4096);
        byte[] last;
        try (InputStream in = envelope.open(end - tail, tail)) {
            last = in.readNBytes(tail);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int i = last.length;
        boolean comma = false;
        while (i > 0) {
            byte b = last[i - 1];
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                i--;
            } else if (b == ',' && !comma) {
                comma = true;
                i--;
            } else {
                break;
            }
        }
        if (i == 0 && tail < end - start) {
            // 4 KiB of whitespace after a value: refuse rather than scan on.
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "too much whitespace after the body value");
        }
        return end - (last.length - i);
    }

    /** A value of a small field, as a tree, within the shared token budget. */
    private static JsonNode readSmall(JsonParser parser, int[] budget) throws IOException {
        if (--budget[0] < 0) {
            throw new ApiException(
                    ProblemType.MALFORMED_REQUEST,
                    "the envelope's fields other than the body exceed " + MAX_SMALL_FIELD_TOKENS + " JSON tokens");
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, readSmall(parser, budget));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readSmall(parser, budget));
                }
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT ->
                parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? nodes.numberNode(parser.getBigIntegerValue())
                        : nodes.numberNode(parser.getLongValue());
            // Query values are sent as written: keep a decimal's own text rather than a double's rendering.
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new ApiException(ProblemType.MALFORMED_REQUEST, "the body is not well-formed JSON");
        };
    }

    private static CallRequest validate(
            Part primary,
            List<Part> alternatives,
            BodyBuffer envelopeBytes,
            String traceparent,
            CallDeadline deadline) {
        ObjectNode envelope = primary.fields;
        FieldErrors errors = new FieldErrors();
        errors.rejectUnknown(envelope, "", FIELDS);
        if (envelope.has("alternatives") && !envelope.get("alternatives").isArray()) {
            errors.add("alternatives", "must be an array of request objects");
        }
        Request request = request(envelope, "", primary, envelopeBytes, errors);
        String idempotencyKey = errors.string(envelope, "", "idempotencyKey", false, 255);
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
            errors.add("idempotencyKey", "must be 1-255 visible ASCII characters");
        }
        Integer timeoutMs = errors.integer(envelope, "", "timeoutMs", 1, CallDeadline.MAX_MS, null);
        List<CallRequest.Alternative> others = new ArrayList<>();
        for (int i = 0; i < alternatives.size(); i++) {
            String prefix = "alternatives[" + i + "]";
            Part part = alternatives.get(i);
            errors.rejectUnknown(part.fields, prefix, ALTERNATIVE_FIELDS);
            Request alternative = request(part.fields, prefix, part, envelopeBytes, errors);
            others.add(new CallRequest.Alternative(
                    alternative.provider(),
                    alternative.method(),
                    alternative.path(),
                    alternative.query(),
                    alternative.headers(),
                    alternative.contentType(),
                    alternative.body()));
        }
        errors.throwIfAny();
        return new CallRequest(
                request.provider(),
                request.method(),
                request.path(),
                request.query(),
                request.headers(),
                request.contentType(),
                request.body(),
                idempotencyKey,
                deadline.within(timeoutMs, "timeoutMs"),
                traceparent,
                others);
    }

    /** The fields every request object has, validated: the primary's, and each alternative's under its prefix. */
    private record Request(
            String provider,
            String method,
            String path,
            String query,
            Map<String, List<String>> headers,
            String contentType,
            Body body) {}

    private static Request request(
            ObjectNode fields, String prefix, Part part, BodyBuffer envelopeBytes, FieldErrors errors) {
        String providerId = errors.string(fields, prefix, "providerId", false, 200);
        String providerName = errors.string(fields, prefix, "provider", false, 200);
        if (providerId == null
                && providerName == null
                && !fields.hasNonNull("providerId")
                && !fields.hasNonNull("provider")) {
            errors.add(FieldErrors.path(prefix, "provider"), "name the provider by 'providerId' or 'provider'");
        } else if (providerId != null && providerName != null) {
            errors.add(FieldErrors.path(prefix, "provider"), "give either 'providerId' or 'provider', not both");
        }
        String method = errors.string(fields, prefix, "method", true, 10);
        String path = errors.string(fields, prefix, "path", true, 4096);
        String query = query(fields, prefix, errors);
        Map<String, List<String>> headers = headers(fields, prefix, errors);
        String contentType = errors.string(fields, prefix, "contentType", false, 255);
        if (fields.has("body") && fields.has("bodyBase64")) {
            errors.add(FieldErrors.path(prefix, "body"), "give either 'body' (JSON) or 'bodyBase64', not both");
        } else if (part.jsonBody()) {
            if (contentType == null) {
                contentType = "application/json";
            }
        } else if (fields.has("bodyBase64")) {
            if (!fields.get("bodyBase64").isTextual()) {
                errors.add(FieldErrors.path(prefix, "bodyBase64"), "must be a string");
            } else if (contentType == null) {
                errors.add(FieldErrors.path(prefix, "contentType"), "is required with bodyBase64");
            }
        }
        if (contentType != null && contentType.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            errors.add(FieldErrors.path(prefix, "contentType"), "must not contain control characters");
        }
        Body body = part.body(envelopeBytes);
        return new Request(
                providerId != null ? providerId : providerName,
                method == null ? null : method.toUpperCase(Locale.ROOT),
                path,
                query,
                headers,
                body == null ? null : contentType,
                body);
    }

    /** {@code query}: an object of name -> string | number | boolean | list of those; encoded in its order. */
    private static String query(JsonNode envelope, String prefix, FieldErrors errors) {
        JsonNode node = errors.object(envelope, prefix, "query");
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
                    parameters.add(Map.entry(
                            field.getKey(),
                            single.isBigDecimal() ? single.decimalValue().toString() : single.asText()));
                } else {
                    errors.add(
                            FieldErrors.path(prefix, "query." + field.getKey()),
                            "must be a string, number, boolean or a list of those");
                }
            }
        });
        if (parameters.size() > MAX_QUERY_PARAMETERS) {
            errors.add(FieldErrors.path(prefix, "query"), "must have at most " + MAX_QUERY_PARAMETERS + " parameters");
        }
        return parameters.isEmpty() ? null : OutboundPaths.encode(parameters);
    }

    /** {@code headers}: an object of name -> string | list of strings. */
    private static Map<String, List<String>> headers(JsonNode envelope, String prefix, FieldErrors errors) {
        JsonNode node = errors.object(envelope, prefix, "headers");
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
                        errors.add(
                                FieldErrors.path(prefix, "headers." + field.getKey()),
                                "must be a string or a list of strings");
                    }
                });
            } else {
                errors.add(
                        FieldErrors.path(prefix, "headers." + field.getKey()), "must be a string or a list of strings");
            }
            headers.computeIfAbsent(field.getKey(), k -> new ArrayList<>()).addAll(values);
        });
        return headers;
    }

    private static final class InvalidBase64 extends RuntimeException {
        private final String field;

        InvalidBase64(String field) {
            super(null, null, false, false);
            this.field = field;
        }
    }

    /** Copies what the parser reads into the envelope buffer, refusing past the body limit. */
    private static final class Tee extends InputStream {
        private final InputStream in;
        private final OutputStream copy;
        private final long limit;
        private long seen;

        Tee(InputStream in, OutputStream copy, long limit) {
            this.in = in;
            this.copy = copy;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            int n = in.read(target, offset, length);
            if (n > 0) {
                seen += n;
                if (seen > limit) {
                    throw new TooLarge();
                }
                copy.write(target, offset, n);
            }
            return n;
        }

        static final class TooLarge extends IOException {
            TooLarge() {
                super(null, null);
            }
        }
    }
}
