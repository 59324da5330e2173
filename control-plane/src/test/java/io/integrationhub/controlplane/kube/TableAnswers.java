package io.integrationhub.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code meta.k8s.io/v1 Table} the API server answers when kubectl asks for one: a Name column,
 * then the CRD's {@code additionalPrinterColumns} in their order (or Age for resources without any),
 * cells read with the columns' JSONPath and dates shown as ages, as kubectl prints them.
 */
final class TableAnswers {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** One step of the JSONPath subset printer columns use: {@code .field} with an optional {@code [?(@.k=="v")]}. */
    private static final Pattern STEP =
            Pattern.compile("\\.([A-Za-z0-9_-]+)(\\[\\?\\(@\\.([A-Za-z0-9_-]+)==\"([^\"]*)\"\\)\\])?");

    private static final CustomResourceColumnDefinition AGE = new CustomResourceColumnDefinitionBuilder()
            .withName("Age")
            .withType("date")
            .withJsonPath(".metadata.creationTimestamp")
            .withPriority(0)
            .build();

    private TableAnswers() {}

    /** A Table of {@code body}, a list or a single object. */
    static ObjectNode table(JsonNode body, List<CustomResourceColumnDefinition> printerColumns, Instant now) {
        List<CustomResourceColumnDefinition> columns = printerColumns.isEmpty() ? List.of(AGE) : printerColumns;
        ObjectNode table = JSON.objectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata")
                .put(
                        "resourceVersion",
                        body.path("metadata").path("resourceVersion").asText(""));
        ArrayNode definitions = table.putArray("columnDefinitions");
        definitions
                .addObject()
                .put("name", "Name")
                .put("type", "string")
                .put("format", "name")
                .put("description", "Name")
                .put("priority", 0);
        for (CustomResourceColumnDefinition c : columns) {
            definitions
                    .addObject()
                    .put("name", c.getName())
                    .put("type", c.getType())
                    .put("format", c.getFormat() == null ? "" : c.getFormat())
                    .put("description", c.getDescription() == null ? "" : c.getDescription())
                    .put("priority", c.getPriority() == null ? 0 : c.getPriority());
        }
        ArrayNode rows = table.putArray("rows");
        List<JsonNode> items = new ArrayList<>();
        if (body.has("items")) {
            body.get("items").forEach(items::add);
        } else {
            items.add(body);
        }
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(item.path("metadata").path("name").asText());
            for (CustomResourceColumnDefinition c : columns) {
                cells.add(cell(read(item, c.getJsonPath()), c.getType(), now));
            }
            ObjectNode object =
                    row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            object.set("metadata", item.path("metadata").deepCopy());
        }
        return table;
    }

    /** The value at a printer column's JSONPath, or null when any step is missing. */
    static JsonNode read(JsonNode item, String jsonPath) {
        Matcher step = STEP.matcher(jsonPath);
        JsonNode node = item;
        int at = 0;
        while (node != null && at < jsonPath.length() && step.find(at) && step.start() == at) {
            node = node.get(step.group(1));
            if (node != null && step.group(2) != null) {
                JsonNode match = null;
                for (JsonNode element : node) {
                    if (step.group(4).equals(element.path(step.group(3)).asText(null))) {
                        match = element;
                        break;
                    }
                }
                node = match;
            }
            at = step.end();
        }
        return at == jsonPath.length() ? node : null;
    }

    private static JsonNode cell(JsonNode value, String type, Instant now) {
        if (value == null || value.isNull()) {
            return JSON.nullNode();
        }
        if ("date".equals(type)) {
            try {
                return JSON.textNode(age(Duration.between(Instant.parse(value.asText()), now)));
            } catch (DateTimeParseException e) {
                return JSON.textNode("<invalid>");
            }
        }
        return value.isValueNode() ? value : JSON.textNode(value.toString());
    }

    /** kubectl's human-readable duration (k8s.io/apimachinery duration.HumanDuration), coarsened the same way. */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) return s + "s";
        long m = s / 60;
        if (m < 10) return m + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        if (m < 180) return m + "m";
        long h = m / 60;
        if (h < 8) return h + "h" + (m % 60 == 0 ? "" : m % 60 + "m");
        if (h < 48) return h + "h";
        if (h < 24 * 8) return h / 24 + "d" + (h % 24 == 0 ? "" : h % 24 + "h");
        return h / 24 + "d";
    }
}
