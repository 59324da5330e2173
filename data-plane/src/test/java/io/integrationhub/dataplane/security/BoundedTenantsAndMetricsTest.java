package io.integrationhub.dataplane.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.integrationhub.dataplane.GrpcClient;
import io.integrationhub.dataplane.HubClient.Answer;
import io.integrationhub.dataplane.Providers;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.grpc.v1.CreateProviderRequest;
import io.integrationhub.dataplane.grpc.v1.Provider;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What one tenant can make the hub hold, and what a scrape shows: a per-tenant provider quota,
 * metrics on the management port only (behind a token when set), and provider series capped.
 */
@Tag("hub")
class BoundedTenantsAndMetricsTest {
    private static final String METRICS_TOKEN = "scrape-token-for-tests";
    private static final Pattern PROVIDER_LABEL =
            Pattern.compile("^integration_hub_calls_total\\{[^}]*provider=\"([^\"]+)\"", Pattern.MULTILINE);
    private static WireMockServer upstream;
    private static TestHub hub;

    @BeforeAll
    static void start() {
        upstream = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        hub = TestHub.start(Map.of(
                "INTEGRATION_MAX_PROVIDERS_PER_TENANT",
                "3",
                "INTEGRATION_METRICS_MAX_PROVIDERS",
                "2",
                "INTEGRATION_METRICS_TOKEN",
                METRICS_TOKEN));
    }

    @AfterAll
    static void stop() {
        hub.close();
        upstream.stop();
    }

    @Test
    void aTenantCannotCreateMoreProvidersThanItsQuotaOverRestOrGrpc() {
        for (int i = 0; i < 3; i++) {
            Providers.create(hub, "greedy", Providers.local("p" + i, upstream.port(), "{\"type\":\"none\"}", ""));
        }
        Answer refused = hub.client()
                .send(
                        "POST",
                        Providers.PATH,
                        hub.adminToken("greedy"),
                        Providers.local("p3", upstream.port(), "{\"type\":\"none\"}", ""),
                        Map.of("Content-Type", "application/json"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().path("type").asText()).isEqualTo("quota-exceeded");
        assertThat(refused.json().path("limit").asInt()).isEqualTo(3);
        try (GrpcClient grpc = new GrpcClient(hub.hub().grpcPort())) {
            StatusRuntimeException e = Assertions.catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> grpc.stub(hub.adminToken("greedy"))
                            .createProvider(CreateProviderRequest.newBuilder()
                                    .setProvider(Provider.newBuilder()
                                            .setName("p4")
                                            .setType("custom")
                                            .setBaseUrl("https://p4.example.com"))
                                    .build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Another tenant has its own quota; a deleted provider frees its place.
        Providers.create(hub, "modest", Providers.local("p0", upstream.port(), "{\"type\":\"none\"}", ""));
        assertThat(hub.client()
                        .send("DELETE", Providers.PATH + "/p0", hub.adminToken("greedy"), null, Map.of())
                        .status())
                .isEqualTo(204);
        Providers.create(hub, "greedy", Providers.local("p3", upstream.port(), "{\"type\":\"none\"}", ""));
    }

    @Test
    void metricsAreServedOnTheManagementPortOnlyAndBehindTheToken() {
        assertThat(hub.hub().managementPort())
                .isPositive()
                .isNotEqualTo(hub.hub().port())
                .isNotEqualTo(hub.hub().grpcPort());
        assertThat(hub.client().get("/metrics", null).status())
                .as("not on the API port")
                .isEqualTo(404);
        assertThat(hub.client().get("/metrics", METRICS_TOKEN).status()).isEqualTo(404);
        assertThat(hub.client().get("/health/live", null).status())
                .as("health stays on the API port")
                .isEqualTo(200);
        assertThat(hub.management().get("/health/ready", null).status()).isEqualTo(200);

        Answer anonymous = hub.management().get("/metrics", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().path("type").asText()).isEqualTo("unauthorized");
        assertThat(hub.management().get("/metrics", "wrong-" + METRICS_TOKEN).status())
                .isEqualTo(401);
        assertThat(hub.management().get("/metrics", hub.adminToken("greedy")).status())
                .as("a hub token is not the metrics token")
                .isEqualTo(401);
        assertThat(hub.management().get("/metrics", METRICS_TOKEN).body()).contains("integration_hub_");
    }

    @Test
    void providerSeriesAreCappedAndTheRestAggregated() {
        for (int i = 0; i < 6; i++) { // two tenants, within their quota of 3
            String tenant = "busy" + i / 3;
            Providers.create(hub, tenant, Providers.local("c" + i, upstream.port(), "{\"type\":\"none\"}", ""));
            Answer answer = hub.client()
                    .send(
                            "POST",
                            "/api/v1/integrations/call",
                            hub.token(tenant, Scope.CALL),
                            "{\"provider\":\"c" + i + "\",\"method\":\"GET\",\"path\":\"/x\"}",
                            Map.of("Content-Type", "application/json"));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        }
        String scrape = hub.management().get("/metrics", METRICS_TOKEN).body();
        Set<String> labels = new TreeSet<>();
        Matcher m = PROVIDER_LABEL.matcher(scrape);
        while (m.find()) {
            labels.add(m.group(1));
        }
        assertThat(labels)
                .as("two providers of their own, the rest under one value")
                .hasSize(3)
                .contains("_other");
        assertThat(scrape)
                .contains("integration_hub_calls_total{module=\"test\",outcome=\"success\",provider=\"_other\"} 4.0");
    }
}
