package io.integrationhub.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** HTTP headers (name -> values) as stored inside sealed JSON documents (DLQ requests, replayed responses). */
public final class HeaderMaps {
    private HeaderMaps() {}

    /** Writes {@code headers} as an object of name -> array of values under {@code field} of {@code node}. */
    public static void write(ObjectNode node, String field, Map<String, List<String>> headers) {
        ObjectNode object = node.putObject(field);
        headers.forEach(
                (name, values) -> values.forEach(value -> object.withArray(name).add(value)));
    }

    /** Reads what {@link #write} wrote, in order. */
    public static Map<String, List<String>> read(JsonNode object) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> {
            List<String> values = new ArrayList<>();
            field.getValue().forEach(value -> values.add(value.asText()));
            headers.put(field.getKey(), values);
        });
        return headers;
    }
}
