package io.integrationhub.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A list request's field selector on fields the mock cannot select by (it knows
 * {@code metadata.name} only), such as kubectl describe's
 * {@code involvedObject.name=psp,involvedObject.namespace=payments,...} on Events: the front drops
 * it from the request and filters the answer itself.
 */
record FieldSelector(List<Term> terms, String remainingQuery) {
    record Term(String[] path, String value, boolean equal) {
        boolean matches(JsonNode item) {
            JsonNode node = item;
            for (String step : path) {
                node = node.path(step);
            }
            return node.asText("").equals(value) == equal;
        }
    }

    /** The selector of {@code query} when it needs the front's filtering. */
    static Optional<FieldSelector> of(String query) {
        if (query == null) {
            return Optional.empty();
        }
        List<String> kept = new ArrayList<>();
        String selector = null;
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("fieldSelector=")) {
                selector = URLDecoder.decode(parameter.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
            } else {
                kept.add(parameter);
            }
        }
        if (selector == null || Arrays.stream(selector.split(",")).allMatch(t -> t.startsWith("metadata.name="))) {
            return Optional.empty();
        }
        List<Term> terms = Arrays.stream(selector.split(","))
                .filter(t -> !t.isBlank())
                .map(t -> {
                    boolean equal = !t.contains("!=");
                    String[] sides = t.split(equal ? "==?" : "!=", 2);
                    return new Term(sides[0].split("\\."), sides.length > 1 ? sides[1] : "", equal);
                })
                .toList();
        return Optional.of(new FieldSelector(terms, String.join("&", kept)));
    }

    /** {@code list} with only the items every term matches. */
    JsonNode filter(JsonNode list) {
        if (!(list instanceof ObjectNode object) || !(list.get("items") instanceof ArrayNode items)) {
            return list;
        }
        ArrayNode matching = object.putArray("items");
        items.forEach(item -> {
            if (terms.stream().allMatch(t -> t.matches(item))) {
                matching.add(item);
            }
        });
        return object;
    }

    @Override
    public String toString() {
        return terms.stream()
                .map(t -> String.join(".", t.path()) + (t.equal() ? "=" : "!=") + t.value())
                .collect(Collectors.joining(","));
    }
}
