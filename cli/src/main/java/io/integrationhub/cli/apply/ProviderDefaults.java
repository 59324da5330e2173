package io.integrationhub.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the registry stores for a field a provider document leaves out (DESIGN §2; the registry's
 * {@code ProviderConfig.defaults()} and validator are the source, and a test holds this copy to a
 * real hub). Used only to tell whether an applied document differs from what the hub holds.
 * {@code rateLimitPerSec} has no fixed default (it is the hub's {@code INTEGRATION_RATE_LIMIT_PER_SEC})
 * and {@code maxConcurrency} none at all; both are left out here.
 */
final class ProviderDefaults {
    private ProviderDefaults() {}

    /** A copy of the writable part of a provider document with every default filled in. */
    static ObjectNode fill(JsonNode document) {
        ObjectNode doc = document.deepCopy();
        if (!doc.hasNonNull("status")) {
            doc.put("status", "active");
        }
        ObjectNode auth = object(doc, "auth");
        if (!auth.hasNonNull("type")) {
            auth.put("type", "none");
        }
        String type = auth.get("type").asText();
        if (type.equals("api_key") && !auth.hasNonNull("in")) {
            auth.put("in", "header");
        }
        if (type.equals("oauth2_client_credentials") && !auth.hasNonNull("scopes")) {
            auth.putArray("scopes");
        }
        ObjectNode config = object(doc, "config");
        putIfAbsent(config, "timeoutMs", 10_000);
        ObjectNode retry = object(config, "retry");
        putIfAbsent(retry, "maxAttempts", 5);
        putIfAbsent(retry, "baseDelayMs", 1_000);
        putIfAbsent(retry, "multiplier", 2);
        putIfAbsent(retry, "jitterMs", 500);
        putIfAbsent(retry, "budgetPercent", 20);
        ObjectNode breaker = object(config, "circuitBreaker");
        putIfAbsent(breaker, "failureThreshold", 5);
        putIfAbsent(breaker, "failureWindowSec", 30);
        putIfAbsent(breaker, "openSec", 60);
        putIfAbsent(breaker, "halfOpenProbes", 1);
        if (!config.hasNonNull("defaultHeaders")) {
            config.putObject("defaultHeaders");
        }
        if (!config.hasNonNull("allowPrivateNetwork")) {
            config.put("allowPrivateNetwork", false);
        }
        if (config.get("failover") instanceof ObjectNode failover && !failover.hasNonNull("onStatus")) {
            failover.putArray("onStatus");
        }
        return doc;
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(field);
    }

    private static void putIfAbsent(ObjectNode node, String field, int value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }
}
