package io.integrationhub.dataplane.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.registry.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The validator wiring of {@link OpenApiContractTest}, without a hub: a document answer that
 * conforms passes, and each kind of drift (a member added, a member missing, a wrong type, an
 * unknown problem type, an undocumented status, a missing header) is caught. Were the wiring
 * broken (e.g. validating against nothing), these would pass and the contract test prove nothing.
 */
class OpenApiValidatorWiringTest {
    private static final OpenApiContract CONTRACT = OpenApiContract.shipped();
    private static final String PROVIDER = """
            {"id": "01jc0000000000000000000000", "tenantId": "t1", "name": "stripe", "type": "payment",
             "baseUrl": "https://api.stripe.com", "auth": {"type": "bearer", "credentials": {"token": "***"}},
             "config": {"timeoutMs": 10000, "rateLimitPerSec": 100,
                        "retry": {"maxAttempts": 5, "baseDelayMs": 1000, "multiplier": 2.0, "jitterMs": 500, "budgetPercent": 20},
                        "circuitBreaker": {"failureThreshold": 5, "failureWindowSec": 30, "openSec": 60, "halfOpenProbes": 1},
                        "defaultHeaders": {}, "allowPrivateNetwork": false},
             "status": "active", "managedBy": "api", "version": 1,
             "createdAt": "2026-01-31T12:00:00.123456Z", "updatedAt": "2026-01-31T12:00:00.123456Z"}""";
    private static final Map<String, List<String>> HUB_JSON = Map.of(
            "Content-Type",
            List.of("application/json"),
            "X-Integration-Source",
            List.of("hub"),
            "ETag",
            List.of("\"1\""));

    private static List<String> get(int status, Map<String, List<String>> headers, String body) {
        return CONTRACT.violations(
                "GET", "/api/v1/integrations/providers/stripe", status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aConformingAnswerPasses() {
        assertThat(get(200, HUB_JSON, PROVIDER)).isEmpty();
    }

    @Test
    void aMemberTheDocumentDoesNotKnowIsCaught() {
        assertThat(get(
                        200,
                        HUB_JSON,
                        PROVIDER.replace("\"version\": 1", "\"version\": 1, \"sealedCredentials\": \"AAAA\"")))
                .anySatisfy(v -> assertThat(v).contains("sealedCredentials"));
    }

    @Test
    void aMissingMemberIsCaught() {
        assertThat(get(200, HUB_JSON, PROVIDER.replace("\"version\": 1,", "")))
                .anySatisfy(v -> assertThat(v).contains("version"));
    }

    @Test
    void aMemberOfTheWrongTypeOrValueIsCaught() {
        assertThat(get(200, HUB_JSON, PROVIDER.replace("\"version\": 1", "\"version\": \"1\"")))
                .isNotEmpty();
        assertThat(get(200, HUB_JSON, PROVIDER.replace("{\"token\": \"***\"}", "{\"token\": \"sk_live_plain\"}")))
                .as("credentials are only ever masked")
                .isNotEmpty();
    }

    @Test
    void anUnknownProblemTypeAnUndocumentedStatusAndAMissingHeaderAreCaught() {
        Map<String, List<String>> problemHeaders =
                Map.of("Content-Type", List.of("application/problem+json"), "X-Integration-Source", List.of("hub"));
        String problem = "{\"type\": \"provider-not-found\", \"title\": \"Provider not found\", \"status\": 404,"
                + " \"detail\": \"no provider 'x'\", \"instance\": \"/api/v1/integrations/providers/x\"}";
        assertThat(get(404, problemHeaders, problem)).isEmpty();
        assertThat(get(404, problemHeaders, problem.replace("provider-not-found", "no-such-provider")))
                .isNotEmpty();
        assertThat(get(404, problemHeaders, problem.replace("\"status\": 404", "\"status\": \"pending\"")))
                .as("RFC 9457 status is the HTTP status number")
                .isNotEmpty();
        assertThat(get(418, problemHeaders, problem)).isNotEmpty();
        assertThat(get(200, Map.of("Content-Type", List.of("application/json"), "ETag", List.of("\"1\"")), PROVIDER))
                .anySatisfy(v -> assertThat(v).contains("X-Integration-Source"));
    }

    @Test
    void theDocumentListsExactlyTheProblemTypesTheHubHas() {
        assertThat(CONTRACT.problemTypes())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ProblemType.values())
                        .map(ProblemType::slug)
                        .toList());
    }
}
