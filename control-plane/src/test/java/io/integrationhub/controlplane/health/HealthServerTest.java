package io.integrationhub.controlplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Liveness, readiness with named checks, and Prometheus metrics over real HTTP. */
class HealthServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessFollowsItsChecksAndNamesTheFailingOne() throws Exception {
        AtomicBoolean registry = new AtomicBoolean(false);
        Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("operator", () -> true);
        checks.put("registry", registry::get);
        try (HealthServer server = HealthServer.start(0, checks, new OperatorMetrics())) {
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);

            HttpResponse<String> down = get(server, "/health/ready");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body())
                    .isEqualTo("{\"status\":\"DOWN\",\"checks\":{\"operator\":\"UP\",\"registry\":\"DOWN\"}}");

            registry.set(true);
            HttpResponse<String> up = get(server, "/health/ready");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).startsWith("{\"status\":\"UP\"");
        }
    }

    @Test
    void aCheckThatThrowsCountsAsDown() throws Exception {
        Map<String, BooleanSupplier> checks = Map.of("registry", () -> {
            throw new IllegalStateException("pool closed");
        });
        try (HealthServer server = HealthServer.start(0, checks, new OperatorMetrics())) {
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void metricsAreInThePrometheusTextFormat() throws Exception {
        OperatorMetrics metrics = new OperatorMetrics();
        metrics.reconciled("Reconciled");
        metrics.reconciled("Reconciled");
        metrics.reconciled("SecretNotFound");
        metrics.registryWrite("created");
        metrics.error();
        try (HealthServer server = HealthServer.start(0, Map.of("registry", () -> true), metrics)) {
            HttpResponse<String> response = get(server, "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            assertThat(response.body())
                    .contains(
                            "# TYPE integration_hub_operator_reconciliations_total counter",
                            "integration_hub_operator_reconciliations_total{reason=\"Reconciled\"} 2",
                            "integration_hub_operator_reconciliations_total{reason=\"SecretNotFound\"} 1",
                            "integration_hub_operator_registry_writes_total{operation=\"created\"} 1",
                            "integration_hub_operator_reconcile_errors_total 1",
                            "integration_hub_operator_check_registry_up 1");
        }
    }

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
