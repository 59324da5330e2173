package io.integrationhub.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;

/**
 * Compares the provider document a manifest asks for with the one the hub shows, and builds the
 * merge patch that makes the hub's equal to it.
 *
 * <p>Equal means: the writable fields (name, type, baseUrl, auth without credentials, config,
 * status) are the same once the defaults are filled in on both sides, numbers compared by value.
 * {@code config.rateLimitPerSec} is compared only when the manifest sets it: the hub shows its own
 * default in its place, which hubctl cannot tell apart from a value set to the same number.
 */
final class ProviderDiff {
    /** Fields of the hub's document that no manifest writes. */
    private static final List<String> SERVER_FIELDS =
            List.of("id", "tenantId", "managedBy", "version", "createdAt", "updatedAt", "deletedAt");

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private ProviderDiff() {}

    /** The hub's document reduced to what a manifest writes (no server fields, no masked credentials). */
    static ObjectNode writable(JsonNode current) {
        ObjectNode doc = current.deepCopy();
        SERVER_FIELDS.forEach(doc::remove);
        if (doc.get("auth") instanceof ObjectNode auth) {
            auth.remove("credentials");
        }
        return doc;
    }

    /** Whether the hub already holds {@code desired} (a document without credentials). */
    static boolean same(ObjectNode desired, JsonNode current) {
        ObjectNode wanted = ProviderDefaults.fill(desired);
        ObjectNode held = ProviderDefaults.fill(writable(current));
        if (!desired.path("config").has("rateLimitPerSec")) {
            ((ObjectNode) wanted.get("config")).remove("rateLimitPerSec");
            ((ObjectNode) held.get("config")).remove("rateLimitPerSec");
        }
        return wanted.equals(NUMBERS_BY_VALUE, held);
    }

    /**
     * The merge patch from the hub's document to {@code desired}: everything {@code desired} says,
     * and null for every field the hub has that {@code desired} leaves out (so it takes its default).
     */
    static ObjectNode mergePatch(JsonNode current, ObjectNode desired) {
        ObjectNode patch = desired.deepCopy();
        addRemovals(writable(current), patch);
        return patch;
    }

    private static void addRemovals(JsonNode current, ObjectNode patch) {
        current.fieldNames().forEachRemaining(field -> {
            JsonNode wanted = patch.get(field);
            if (wanted == null) {
                patch.putNull(field);
            } else if (wanted instanceof ObjectNode wantedObject
                    && current.get(field).isObject()) {
                addRemovals(current.get(field), wantedObject);
            }
        });
    }
}
