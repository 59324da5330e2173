package io.integrationhub.cli.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.output.Table;
import java.util.ArrayList;
import java.util.List;

/** The provider columns of {@code list} and {@code get}. */
public final class ProviderTable {
    private ProviderTable() {}

    public static Table of(List<JsonNode> providers) {
        return of(providers, false);
    }

    /**
     * With {@code route} (what {@code get} shows), a last ROUTE column: the providers a call may be
     * sent to in order ({@code sms-a>sms-b}) and the answers that move it on, or none.
     */
    public static Table of(List<JsonNode> providers, boolean route) {
        Table table = route
                ? Table.withHeaders(
                        "NAME", "ID", "TYPE", "AUTH", "STATUS", "MANAGED BY", "VERSION", "BASE URL", "ROUTE")
                : Table.withHeaders("NAME", "ID", "TYPE", "AUTH", "STATUS", "MANAGED BY", "VERSION", "BASE URL");
        for (JsonNode provider : providers) {
            List<String> cells = new ArrayList<>(List.of(
                    text(provider, "name"),
                    text(provider, "id"),
                    text(provider, "type"),
                    text(provider, "auth.type"),
                    text(provider, "status"),
                    text(provider, "managedBy"),
                    text(provider, "version"),
                    text(provider, "baseUrl")));
            if (route) {
                cells.add(route(provider));
            }
            table.row(cells.toArray(String[]::new));
        }
        return table;
    }

    /** {@code a>b>c}, then {@code on 503,429} when statuses move the call on; null without a route. */
    static String route(JsonNode provider) {
        JsonNode failover = provider.path("config").path("failover");
        if (!failover.path("to").isArray() || failover.path("to").isEmpty()) {
            return null;
        }
        StringBuilder route = new StringBuilder(String.valueOf(Json.text(provider, "name")));
        failover.path("to").forEach(target -> route.append('>').append(target.asText()));
        List<String> statuses = new ArrayList<>();
        failover.path("onStatus").forEach(status -> statuses.add(status.asText()));
        if (!statuses.isEmpty()) {
            route.append(" on ").append(String.join(",", statuses));
        }
        return route.toString();
    }

    private static String text(JsonNode node, String path) {
        return Json.text(node, path);
    }
}
