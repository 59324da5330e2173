package io.integrationhub.dataplane.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.FieldMask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.FieldMaskUtil;
import com.google.protobuf.util.JsonFormat;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.grpc.v1.Provider;
import io.integrationhub.registry.Json;
import java.util.List;

/**
 * Between messages and the REST documents the services speak: the messages' JSON names are the
 * documents' member names, so protobuf's JSON mapping is the whole translation. Reading a
 * document is strict: a member the proto lacks fails loudly (a test drives every operation), so
 * the two APIs cannot drift apart silently.
 */
final class Messages {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private Messages() {}

    /** The message as the JSON document a REST client would have sent. */
    static JsonNode toJson(Message message) {
        try {
            return Json.mapper().readTree(PRINTER.print(message));
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("message could not be turned into JSON", e);
        }
    }

    /** Fills {@code builder} from a document the hub made. */
    static <B extends Message.Builder> B fromJson(JsonNode document, B builder) {
        try {
            PARSER.merge(Json.mapper().writeValueAsString(document), builder);
            return builder;
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException(
                    "document does not fit " + builder.getDescriptorForType().getFullName(), e);
        }
    }

    /**
     * The JSON merge patch of an update: for each masked field its value in {@code provider}, or
     * null (remove, back to the default) when it is unset there; with no mask, every field set.
     */
    static JsonNode mergePatch(Provider provider, FieldMask mask) {
        JsonNode document = toJson(provider);
        if (mask.getPathsCount() == 0) {
            return document;
        }
        if (!FieldMaskUtil.isValid(Provider.class, mask)) {
            throw ApiException.validation(
                    "update_mask", "names a field Provider does not have: " + String.join(", ", mask.getPathsList()));
        }
        ObjectNode patch = Json.mapper().createObjectNode();
        for (String path : mask.getPathsList()) {
            List<String> names = java.util.Arrays.stream(path.split("\\."))
                    .map(Messages::jsonName)
                    .toList();
            ObjectNode target = patch;
            JsonNode source = document;
            for (int i = 0; i < names.size() - 1; i++) {
                JsonNode next = target.get(names.get(i));
                target = next instanceof ObjectNode object ? object : target.putObject(names.get(i));
                source = source == null ? null : source.get(names.get(i));
            }
            String last = names.get(names.size() - 1);
            JsonNode value = source == null ? null : source.get(last);
            target.set(last, value == null ? Json.mapper().nullNode() : value);
        }
        return patch;
    }

    /** The JSON name of a proto field name: lower camel case. */
    private static String jsonName(String field) {
        StringBuilder name = new StringBuilder(field.length());
        boolean upper = false;
        for (char c : field.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
