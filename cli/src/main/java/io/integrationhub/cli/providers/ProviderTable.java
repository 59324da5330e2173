package io.integrationhub.cli.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.output.Table;
import java.util.List;

/** The provider columns of {@code list} and {@code get}. */
public final class ProviderTable {
    private ProviderTable() {}

    public static Table of(List<JsonNode> providers) {
        Table table = Table.withHeaders("NAME", "ID", "TYPE", "AUTH", "STATUS", "MANAGED BY", "VERSION", "BASE URL");
        for (JsonNode provider : providers) {
            table.row(Json.text(provider, "name"), Json.text(provider, "id"), Json.text(provider, "type"),
                    Json.text(provider, "auth.type"), Json.text(provider, "status"), Json.text(provider, "managedBy"),
                    Json.text(provider, "version"), Json.text(provider, "baseUrl"));
        }
        return table;
    }
}
