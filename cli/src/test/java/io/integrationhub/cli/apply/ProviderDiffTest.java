package io.integrationhub.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.http.Json;
import io.integrationhub.registry.provider.AuthType;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.provider.WireName;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProviderDiffTest {
    private static ObjectNode json(String text) throws IOException {
        return (ObjectNode) Json.mapper().readTree(text);
    }

    /** A document as the hub shows it: defaults filled, server fields, masked credentials, effective rate limit. */
    private static final String HELD = """
            {"id": "01abc", "tenantId": "t1", "name": "psp", "type": "payment", "baseUrl": "https://psp.example.com",
             "auth": {"type": "api_key", "in": "header", "name": "X-Api-Key", "credentials": {"apiKey": "***"}},
             "config": {"timeoutMs": 10000, "rateLimitPerSec": 100,
                        "retry": {"maxAttempts": 3, "baseDelayMs": 1000, "multiplier": 2.0, "jitterMs": 500, "budgetPercent": 20},
                        "circuitBreaker": {"failureThreshold": 5, "failureWindowSec": 30, "openSec": 60, "halfOpenProbes": 1},
                        "defaultHeaders": {}, "allowPrivateNetwork": false},
             "status": "active", "managedBy": "api", "version": 4, "createdAt": "x", "updatedAt": "y"}""";

    @Test
    void aManifestLeavingOutDefaultsEqualsWhatTheHubShows() throws IOException {
        ObjectNode desired = json("""
                {"name": "psp", "type": "payment", "baseUrl": "https://psp.example.com",
                 "auth": {"type": "api_key", "name": "X-Api-Key"}, "config": {"retry": {"maxAttempts": 3, "multiplier": 2}}}""");

        assertThat(ProviderDiff.same(desired, json(HELD))).isTrue();
    }

    @Test
    void anyDifferenceCounts() throws IOException {
        String base = """
                {"name": "psp", "type": "payment", "baseUrl": "https://psp.example.com",
                 "auth": {"type": "api_key", "name": "X-Api-Key"}, "config": {"retry": {"maxAttempts": 3}}%s}""";
        assertThat(ProviderDiff.same(json(base.formatted(", \"status\": \"disabled\"")), json(HELD)))
                .isFalse();
        assertThat(ProviderDiff.same(
                        json(base.formatted("").replace("maxAttempts\": 3", "maxAttempts\": 4")), json(HELD)))
                .isFalse();
        assertThat(ProviderDiff.same(json(base.formatted("").replace("X-Api-Key", "X-Key")), json(HELD)))
                .isFalse();
        assertThat(ProviderDiff.same(
                        json(base.formatted("")
                                .replace(
                                        "\"retry\": {\"maxAttempts\": 3}",
                                        "\"retry\": {\"maxAttempts\": 3}, \"rateLimitPerSec\": 50")),
                        json(HELD)))
                .isFalse();
        assertThat(ProviderDiff.same(
                        json(base.formatted("")
                                .replace(
                                        "\"retry\": {\"maxAttempts\": 3}",
                                        "\"retry\": {\"maxAttempts\": 3}, \"defaultHeaders\": {\"A\": \"b\"}")),
                        json(HELD)))
                .isFalse();
    }

    @Test
    void theMergePatchNullsWhatTheManifestDropsAndKeepsCredentialsOut() throws IOException {
        ObjectNode desired = json("""
                {"name": "psp", "type": "payment", "baseUrl": "https://psp.example.com", "auth": {"type": "bearer"},
                 "config": {"retry": {"maxAttempts": 2}}}""");

        JsonNode patch = ProviderDiff.mergePatch(json(HELD), desired);

        assertThat(patch.toString())
                .isEqualTo("{\"name\":\"psp\",\"type\":\"payment\",\"baseUrl\":\"https://psp.example.com\","
                        + "\"auth\":{\"type\":\"bearer\",\"in\":null,\"name\":null},"
                        + "\"config\":{\"retry\":{\"maxAttempts\":2,\"baseDelayMs\":null,\"multiplier\":null,\"jitterMs\":null,\"budgetPercent\":null},"
                        + "\"timeoutMs\":null,\"rateLimitPerSec\":null,\"circuitBreaker\":null,\"defaultHeaders\":null,\"allowPrivateNetwork\":null},"
                        + "\"status\":null}");
    }

    @Test
    void theDefaultsAreTheRegistrysOwn() {
        ObjectNode filled = ProviderDefaults.fill(Json.object());
        JsonNode registry = io.integrationhub.registry.Json.mapper().valueToTree(ProviderConfig.defaults());

        assertThat(filled.get("config")
                        .equals(
                                (a, b) -> a.isNumber() && b.isNumber()
                                        ? a.decimalValue().compareTo(b.decimalValue())
                                        : a.equals(b) ? 0 : 1,
                                registry))
                .as(filled + " vs " + registry)
                .isTrue();
        assertThat(filled.get("status").asText()).isEqualTo("active");
        assertThat(filled.at("/auth/type").asText()).isEqualTo("none");
    }

    @Test
    void theCredentialEntriesAreTheRegistrysOwn() {
        for (AuthType type : AuthType.values()) {
            assertThat(CredentialEntries.of(WireName.of(type))).as(type.name()).isEqualTo(type.credentialKeys());
        }
    }

    @Test
    void environmentNamesAreUpperSnakeCase() {
        assertThat(CredentialSources.upperSnake("api-key")).isEqualTo("API_KEY");
        assertThat(CredentialSources.upperSnake("apiKey")).isEqualTo("API_KEY");
        assertThat(CredentialSources.upperSnake("clientSecret")).isEqualTo("CLIENT_SECRET");
        assertThat(CredentialSources.upperSnake("client.id")).isEqualTo("CLIENT_ID");
        assertThat(CredentialSources.upperSnake("token")).isEqualTo("TOKEN");
    }
}
