package io.integrationhub.registry.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.provider.AuthSpec.ApiKeyLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of a provider: its public document (what the API and hubctl show, credentials
 * masked), its writable document (the base a PATCH merges into), and the stored auth/config columns.
 */
public final class ProviderJson {
    public static final String MASK = "***";

    private ProviderJson() {}

    /** The public representation; credentials appear only as masked presence. */
    public static ObjectNode document(Provider provider, int defaultRateLimitPerSec) {
        ObjectNode doc =
                Json.mapper().createObjectNode().put("id", provider.id()).put("tenantId", provider.tenantId());
        doc.setAll(writable(provider));
        ObjectNode config = (ObjectNode) doc.get("config");
        config.put("rateLimitPerSec", provider.config().effectiveRateLimitPerSec(defaultRateLimitPerSec));
        ObjectNode credentials = ((ObjectNode) doc.get("auth")).putObject("credentials");
        if (provider.sealedCredentials() != null) {
            provider.auth().type().credentialKeys().forEach(key -> credentials.put(key, MASK));
        }
        doc.put("managedBy", WireName.of(provider.managedBy()))
                .put("version", provider.version())
                .put("createdAt", provider.createdAt().toString())
                .put("updatedAt", provider.updatedAt().toString());
        return doc;
    }

    /** The writable fields as stored, without credentials: what a JSON merge patch applies to. */
    public static ObjectNode writable(Provider provider) {
        ObjectNode doc = Json.mapper()
                .createObjectNode()
                .put("name", provider.name())
                .put("type", WireName.of(provider.type()))
                .put("baseUrl", provider.baseUrl());
        doc.set("auth", auth(provider.auth()));
        doc.set("config", config(provider.config()));
        doc.put("status", WireName.of(provider.status()));
        return doc;
    }

    /** The non-secret auth settings, as stored in the {@code auth} column. */
    public static ObjectNode auth(AuthSpec auth) {
        ObjectNode node = Json.mapper().createObjectNode().put("type", WireName.of(auth.type()));
        if (auth.in() != null) {
            node.put("in", WireName.of(auth.in()));
        }
        if (auth.name() != null) {
            node.put("name", auth.name());
        }
        if (auth.tokenUrl() != null) {
            node.put("tokenUrl", auth.tokenUrl());
        }
        if (auth.scopes() != null) {
            ArrayNode scopes = node.putArray("scopes");
            auth.scopes().forEach(scopes::add);
        }
        return node;
    }

    public static AuthSpec readAuth(JsonNode node) {
        AuthType type = WireName.parse(AuthType.class, node.path("type").asText())
                .orElseThrow(() -> new IllegalStateException("stored auth has an unknown type: " + node.path("type")));
        ApiKeyLocation in = node.has("in")
                ? WireName.parse(ApiKeyLocation.class, node.get("in").asText()).orElse(null)
                : null;
        List<String> scopes = null;
        if (node.has("scopes")) {
            scopes = new ArrayList<>();
            for (JsonNode scope : node.get("scopes")) {
                scopes.add(scope.asText());
            }
        }
        return new AuthSpec(type, in, textOrNull(node, "name"), textOrNull(node, "tokenUrl"), scopes);
    }

    public static ObjectNode config(ProviderConfig config) {
        return Json.mapper().valueToTree(config);
    }

    public static ProviderConfig readConfig(String json) {
        try {
            return Json.mapper().readValue(json, ProviderConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored provider config is unreadable", e);
        }
    }

    public static byte[] credentialsBytes(Credentials credentials) {
        try {
            return Json.mapper().writeValueAsBytes(credentials.entries());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("credentials could not be serialized", e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Credentials readCredentials(byte[] bytes) {
        try {
            return new Credentials(Json.mapper().readValue(bytes, Map.class));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("opened credentials are unreadable", e);
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
