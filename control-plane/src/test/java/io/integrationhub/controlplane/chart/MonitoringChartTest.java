package io.integrationhub.controlplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's monitoring parts: off by default (they need the Prometheus Operator CRDs and the
 * Grafana sidecar), and when switched on a ServiceMonitor on the data plane's /metrics, the three
 * alerts of the issue, and the Grafana dashboard, consistent with each other.
 */
class MonitoringChartTest {
    private static final String DATA_PLANE = "hub-integration-hub-data-plane";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeKubeApi cluster;

    @BeforeAll
    static void startFakeCluster() {
        cluster = FakeKubeApi.start();
    }

    @AfterAll
    static void stopFakeCluster() {
        cluster.close();
    }

    private static RenderedChart enabled() {
        return RenderedChart.render(t -> t.set("monitoring.serviceMonitor.enabled", true)
                .set("monitoring.prometheusRule.enabled", true)
                .set("monitoring.grafanaDashboard.enabled", true)
                .set("monitoring.prometheusRule.labels.release", "kube-prometheus"));
    }

    private static GenericKubernetesResource kind(RenderedChart chart, String kind) {
        return chart.all(GenericKubernetesResource.class).stream()
                .filter(o -> o.getKind().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
    }

    @Test
    void monitoringIsOffByDefault() {
        RenderedChart chart = RenderedChart.defaults();
        assertThat(chart.all()).extracting(o -> o.getKind()).doesNotContain("ServiceMonitor", "PrometheusRule");
        assertThat(chart.all(ConfigMap.class))
                .extracting(c -> c.getMetadata().getName())
                .doesNotContain("hub-integration-hub-dashboard");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServiceMonitorScrapesTheDataPlanesMetricsThroughItsService() {
        RenderedChart chart = enabled();
        GenericKubernetesResource monitor = kind(chart, "ServiceMonitor");
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        Map<String, Object> spec =
                (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        Map<String, String> selector =
                (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        Service service = chart.one(Service.class, DATA_PLANE);
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
        assertThat(endpoint)
                .containsEntry("port", "management")
                .containsEntry("path", "/metrics")
                .doesNotContainKey("authorization");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getName()).contains("http", "management");
    }

    @Test
    @SuppressWarnings("unchecked")
    void withAMetricsTokenTheServiceMonitorSendsItFromTheSecret() {
        RenderedChart chart = RenderedChart.render(
                t -> t.set("monitoring.serviceMonitor.enabled", true).set("secrets.metricsToken", "m".repeat(40)));
        Map<String, Object> spec = (Map<String, Object>)
                kind(chart, "ServiceMonitor").getAdditionalProperties().get("spec");
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
        Map<String, Object> credentials =
                (Map<String, Object>) ((Map<String, Object>) endpoint.get("authorization")).get("credentials");
        Secret secret = chart.only(Secret.class);
        assertThat(credentials)
                .containsEntry("name", secret.getMetadata().getName())
                .containsEntry("key", "INTEGRATION_METRICS_TOKEN");
        assertThat(secret.getData()).containsKey("INTEGRATION_METRICS_TOKEN");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePrometheusRuleAlertsOnAnOpenCircuitAGrowingDlqAndDegradedMode() {
        GenericKubernetesResource rule = kind(enabled(), "PrometheusRule");
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus");
        Map<String, Object> spec =
                (Map<String, Object>) rule.getAdditionalProperties().get("spec");
        List<Map<String, Object>> rules = new ArrayList<>();
        ((List<Map<String, Object>>) spec.get("groups"))
                .forEach(g -> rules.addAll((List<Map<String, Object>>) g.get("rules")));
        assertThat(rules)
                .extracting(r -> r.get("alert"))
                .containsExactlyInAnyOrder(
                        "IntegrationHubCircuitOpen", "IntegrationHubDlqGrowing", "IntegrationHubDegraded");
        Map<String, String> expr = new java.util.HashMap<>();
        rules.forEach(r -> expr.put((String) r.get("alert"), (String) r.get("expr")));
        String job = "job=\"" + DATA_PLANE + "\"";
        assertThat(expr.get("IntegrationHubCircuitOpen"))
                .isEqualTo("max by (provider) (integration_hub_circuit_state{" + job + "}) == 2");
        assertThat(expr.get("IntegrationHubDlqGrowing"))
                .isEqualTo("sum by (provider) (increase(integration_hub_dlq_parked_total{" + job + "}[15m])) > 10");
        assertThat(expr.get("IntegrationHubDegraded"))
                .isEqualTo("max by (instance) (integration_hub_degraded{" + job + "}) == 1");
        assertThat(rules).allSatisfy(r -> {
            Map<String, String> annotations = (Map<String, String>) r.get("annotations");
            assertThat(annotations.get("summary")).contains("{{ $labels.");
            assertThat(((Map<String, String>) r.get("labels"))).containsEntry("severity", "warning");
        });
        assertThat(rules)
                .filteredOn(r -> r.get("alert").equals("IntegrationHubCircuitOpen"))
                .singleElement()
                .satisfies(r -> assertThat(r.get("for")).isEqualTo("5m"));

        GenericKubernetesResource custom = kind(
                RenderedChart.render(t -> t.set("monitoring.prometheusRule.enabled", true)
                        .set("monitoring.metricsSelector", "namespace=\"hub\"")
                        .set("monitoring.prometheusRule.dlqParkedPer15m", 50)),
                "PrometheusRule");
        assertThat(custom.getAdditionalProperties().get("spec").toString())
                .contains("integration_hub_dlq_parked_total{namespace=\"hub\"}[15m])) > 50");
    }

    @Test
    void theDashboardShipsAsAConfigMapForTheGrafanaSidecar() throws Exception {
        RenderedChart chart = enabled();
        ConfigMap dashboard = chart.one(ConfigMap.class, "hub-integration-hub-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Integration Hub");
        String shipped = dashboard.getData().get("integration-hub.json");
        assertThat(JSON.readTree(shipped))
                .isEqualTo(JSON.readTree(
                        Files.readString(RenderedChart.CHART.resolve("dashboards/integration-hub.json"))));
        assertThat(chart.one(Deployment.class, DATA_PLANE)).isNotNull();
    }

    @Test
    void theDashboardQueriesTheHubsMetricsThroughItsDataSourceVariable() throws Exception {
        JsonNode dashboard =
                JSON.readTree(Files.readString(RenderedChart.CHART.resolve("dashboards/integration-hub.json")));
        assertThat(dashboard.path("uid").asText()).isEqualTo("integration-hub");
        assertThat(dashboard.path("templating").path("list"))
                .extracting(v -> v.path("name").asText())
                .contains("datasource", "provider");
        List<String> expressions = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            titles.add(panel.path("title").asText());
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asText());
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            }
        }
        assertThat(titles)
                .contains(
                        "Calls by outcome",
                        "Total latency (retries and backoff included)",
                        "Circuit breaker",
                        "Calls parked in the DLQ",
                        "Degraded instances",
                        "Heap used");
        assertThat(expressions)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e).matches(".*\\b(integration_hub|jvm)_[a-z_]+.*"));
        assertThat(String.join("\n", expressions))
                .contains(
                        "integration_hub_calls_total",
                        "integration_hub_call_duration_seconds_bucket",
                        "integration_hub_upstream_duration_seconds_bucket",
                        "integration_hub_call_attempts_sum",
                        "integration_hub_circuit_state",
                        "integration_hub_rate_limited_total",
                        "integration_hub_concurrency_limited_total",
                        "integration_hub_dlq_parked_total",
                        "integration_hub_degraded");
    }
}
