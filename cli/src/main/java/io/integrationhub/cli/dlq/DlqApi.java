package io.integrationhub.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.HubClient;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.providers.ProviderApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/integrations/dlq} for one hub and tenant. */
final class DlqApi {
    static final String PATH = HubClient.API + "/dlq";
    private static final int PAGE = 200;

    private final HubClient client;

    DlqApi(HubClient client) {
        this.client = client;
    }

    /** The entries matching {@code filterQuery} (already encoded, may be empty), all pages or at most {@code limit}. */
    List<JsonNode> list(String filterQuery, Integer limit) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            int page = limit == null ? PAGE : Math.min(PAGE, limit - items.size());
            String query =
                    "?limit=" + page + filterQuery + (cursor == null ? "" : "&cursor=" + HubClient.segment(cursor));
            JsonNode body = client.get(PATH + query).requireSuccess().json();
            body.path("items").forEach(items::add);
            cursor = Json.text(body, "nextCursor");
        } while (cursor != null && (limit == null || items.size() < limit));
        return items;
    }

    JsonNode get(String id, boolean includeBody) {
        return client.get(PATH + "/" + HubClient.segment(id) + (includeBody ? "?include=body" : ""))
                .requireSuccess()
                .json();
    }

    JsonNode retry(String id) {
        return client.send(
                        "POST",
                        PATH + "/" + HubClient.segment(id) + "/retry",
                        null,
                        null,
                        Map.of(),
                        Duration.ofSeconds(60))
                .requireSuccess()
                .json();
    }

    /** Starts a retry of every matching entry; the answer names the batch and where to follow it. */
    JsonNode retryAll(String filterQuery) {
        String query = filterQuery.isEmpty() ? "" : "?" + filterQuery.substring(1);
        return client.send("POST", PATH + "/retry-all" + query, null, null, Map.of(), Duration.ofSeconds(60))
                .requireSuccess()
                .json();
    }

    /** A batch's progress, from the {@code statusUrl} (a path on the hub) its start answered. */
    JsonNode progress(String statusUrl) {
        return client.get(statusUrl).requireSuccess().json();
    }

    void delete(String id) {
        client.delete(PATH + "/" + HubClient.segment(id), null).requireSuccess();
    }

    /** Provider names by id, for tables; empty when the token may not read providers. */
    Map<String, String> providerNames() {
        Map<String, String> names = new HashMap<>();
        try {
            new ProviderApi(client).list(null).forEach(p -> names.put(Json.text(p, "id"), Json.text(p, "name")));
        } catch (HubctlException e) {
            // a DLQ-only token: tables show provider ids
        }
        return names;
    }
}
