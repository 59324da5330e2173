package io.integrationhub.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.output.Table;
import java.util.List;
import java.util.Map;

/** The columns of {@code dlq list} and {@code dlq get}. */
final class DeadLetterTable {
    private DeadLetterTable() {}

    static Table of(List<JsonNode> entries, Map<String, String> providerNames) {
        Table table =
                Table.withHeaders("ID", "PROVIDER", "METHOD", "PATH", "STATUS", "ATTEMPTS", "LAST ERROR", "CREATED");
        for (JsonNode entry : entries) {
            String providerId = Json.text(entry, "providerId");
            table.row(
                    Json.text(entry, "id"),
                    providerNames.getOrDefault(providerId, providerId),
                    Json.text(entry, "method"),
                    Json.text(entry, "path"),
                    Json.text(entry, "status"),
                    Json.text(entry, "attempts"),
                    error(entry),
                    Json.text(entry, "createdAt"));
        }
        return table;
    }

    /** {@code upstream_status 503}, {@code timeout}, ... */
    static String error(JsonNode entry) {
        String kind = Json.text(entry, "lastError.kind");
        String status = Json.text(entry, "lastError.status");
        return kind == null ? null : status == null ? kind : kind + " " + status;
    }
}
