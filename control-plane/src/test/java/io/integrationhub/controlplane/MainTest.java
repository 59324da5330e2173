package io.integrationhub.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.integrationhub.crds.Provider;
import io.integrationhub.crds.spec.AuthSpec;
import io.integrationhub.crds.spec.AuthType;
import io.integrationhub.crds.status.CircuitState;
import io.integrationhub.crds.status.Condition;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Main's hand wiring: settings -> registry, circuits, reconciler, operator, health endpoint. */
@Tag("hub")
class MainTest {

    @Test
    void startsFromSettingsReconcilesAndServesHealthAndMetrics() throws Exception {
        KubernetesMockServer server = MockApiServer.start();
        try (TestDatabase db = TestDatabase.create()) {
            KubernetesClient client = server.createClient();
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(OperatorHarness.generatedCrd())
                    .create();
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("shop")
                            .endMetadata()
                            .build())
                    .create();
            Map<String, String> env = Map.of(
                    "INTEGRATION_DB_URL", db.url(),
                    "INTEGRATION_DB_USER", db.settings().user(),
                    "INTEGRATION_DB_PASSWORD", db.settings().password(),
                    "INTEGRATION_MASTER_KEYS", MasterKeys.generateSpec("k1"),
                    "INTEGRATION_VALKEY_URL",
                            System.getenv().getOrDefault("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379"),
                    "INTEGRATION_LEADER_ELECTION", "false",
                    "INTEGRATION_WATCH_NAMESPACES", "shop");
            OperatorSettings fromEnv = OperatorSettings.fromEnvironment(env);
            // A free port instead of 8081, and a short circuit refresh; the rest as read from the environment.
            OperatorSettings settings = new OperatorSettings(
                    fromEnv.database(),
                    fromEnv.masterKeys(),
                    fromEnv.valkeyUrl(),
                    fromEnv.valkeyPrefix(),
                    fromEnv.allowInsecureHttp(),
                    freePort(),
                    fromEnv.namespaces(),
                    fromEnv.leaderElection(),
                    Duration.ofSeconds(1));

            try (Main.Running running = Main.start(settings, client)) {
                AuthSpec none = new AuthSpec();
                none.setType(AuthType.NONE);
                client.resource(TestResources.provider("shop", "rates", none)).create();

                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    Provider provider = client.resources(Provider.class)
                            .inNamespace("shop")
                            .withName("rates")
                            .get();
                    assertThat(provider.getStatus()).isNotNull();
                    assertThat(provider.getStatus().condition(Condition.READY))
                            .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo(Condition.TRUE));
                    // Real Valkey, no breaker hash for this new provider: closed.
                    assertThat(provider.getStatus().getCircuit()).isEqualTo(CircuitState.Closed);
                });
                HttpClient http = HttpClient.newHttpClient();
                await().untilAsserted(() -> assertThat(
                                get(http, running.healthPort(), "/health/ready").statusCode())
                        .isEqualTo(200));
                assertThat(get(http, running.healthPort(), "/health/live").statusCode())
                        .isEqualTo(200);
                assertThat(get(http, running.healthPort(), "/metrics").body())
                        .contains("integration_hub_operator_reconciliations_total{reason=\"Reconciled\"}")
                        .contains("integration_hub_operator_registry_writes_total{operation=\"created\"} 1");
            }
        } finally {
            server.destroy();
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
