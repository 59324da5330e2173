package io.integrationhub.cli.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.http.HubClient;
import io.integrationhub.cli.http.HubResponse;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.http.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code /api/v1/integrations/providers} for one hub and tenant. */
public final class ProviderApi {
    public static final String PATH = HubClient.API + "/providers";
    private static final int PAGE = 200;

    private final HubClient client;

    public ProviderApi(HubClient client) {
        this.client = client;
    }

    /** A provider document (credentials masked) with the ETag to send back as {@code If-Match}. */
    public record Versioned(JsonNode document, String etag) {
        public String name() {
            return Json.text(document, "name");
        }
    }

    /** The providers, following the cursors; at most {@code limit} of them when it is not null. */
    public List<JsonNode> list(Integer limit) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            int page = limit == null ? PAGE : Math.min(PAGE, limit - items.size());
            String query = "?limit=" + page + (cursor == null ? "" : "&cursor=" + HubClient.segment(cursor));
            JsonNode body = client.get(PATH + query).requireSuccess().json();
            body.path("items").forEach(items::add);
            cursor = Json.text(body, "nextCursor");
        } while (cursor != null && (limit == null || items.size() < limit));
        return items;
    }

    public Versioned get(String idOrName) {
        return versioned(client.get(path(idOrName)).requireSuccess());
    }

    /** The provider, or empty when the hub does not know it in this tenant. */
    public Optional<Versioned> find(String idOrName) {
        HubResponse response = client.get(path(idOrName));
        if (response.status() == 404
                && response.failure() instanceof ProblemException problem
                && "provider-not-found".equals(problem.problem().type())) {
            return Optional.empty();
        }
        return Optional.of(versioned(response.requireSuccess()));
    }

    public Versioned create(JsonNode document) {
        return versioned(client.postJson(PATH, document, java.time.Duration.ofSeconds(60))
                .requireSuccess());
    }

    /** A JSON merge patch, guarded by {@code etag} unless it is null. */
    public Versioned patch(String idOrName, JsonNode patch, String etag) {
        return versioned(client.mergePatch(path(idOrName), patch, etag).requireSuccess());
    }

    public void delete(String idOrName, String etag) {
        client.delete(path(idOrName), etag).requireSuccess();
    }

    /** The raw answer of {@code GET /providers/{id}/health}: the caller decides what a 404 means. */
    public HubResponse health(String idOrName) {
        return client.get(path(idOrName) + "/health");
    }

    private static String path(String idOrName) {
        return PATH + "/" + HubClient.segment(idOrName);
    }

    private static Versioned versioned(HubResponse response) {
        JsonNode document = response.json();
        String etag = response.header("ETag")
                .orElseGet(() -> document.hasNonNull("version")
                        ? "\"" + document.get("version").asText() + "\""
                        : null);
        return new Versioned(document, etag);
    }
}
