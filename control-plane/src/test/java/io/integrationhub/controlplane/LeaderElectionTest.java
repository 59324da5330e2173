package io.integrationhub.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.integrationhub.controlplane.health.OperatorMetrics;
import io.integrationhub.controlplane.reconcile.ProviderEvents;
import io.integrationhub.controlplane.reconcile.ProviderReconciler;
import io.integrationhub.controlplane.reconcile.ProviderTranslator;
import io.integrationhub.controlplane.reconcile.RegistrySync;
import io.integrationhub.crds.Provider;
import io.integrationhub.crds.spec.AuthSpec;
import io.integrationhub.crds.spec.AuthType;
import io.integrationhub.crds.status.Condition;
import io.integrationhub.registry.provider.ProviderValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** With leader election on, one replica holds the Lease and reconciles; a second one stands by. */
@Tag("hub")
class LeaderElectionTest {
    private static final String LEASE_NAMESPACE = "hub-system";

    @Test
    void onlyTheLeaseHolderReconciles() {
        ProviderOperator.LeaderElection replicaA =
                new ProviderOperator.LeaderElection("integration-hub-operator", LEASE_NAMESPACE, "replica-a", false);
        try (OperatorHarness hub = OperatorHarness.startWithLeaderElection(replicaA)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Lease lease = hub.client
                        .leases()
                        .inNamespace(LEASE_NAMESPACE)
                        .withName("integration-hub-operator")
                        .get();
                assertThat(lease).isNotNull();
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
            });

            OperatorMetrics standbyMetrics = new OperatorMetrics();
            try (KubernetesClient standbyClient = hub.server.createClient();
                    ProviderOperator standby = standby(hub, standbyClient, standbyMetrics)) {
                standby.start();
                String namespace = hub.newNamespace();
                AuthSpec none = new AuthSpec();
                none.setType(AuthType.NONE);
                hub.create(TestResources.provider(namespace, "rates", none));

                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(Optional.ofNullable(hub.client
                                                .resources(Provider.class)
                                                .inNamespace(namespace)
                                                .withName("rates")
                                                .get()
                                                .getStatus())
                                        .flatMap(s -> s.condition(Condition.READY))
                                        .map(Condition::getStatus))
                                .hasValue(Condition.TRUE));
                assertThat(hub.metrics.reconciliations("Reconciled")).isPositive();
                assertThat(standbyMetrics.reconciliations("Reconciled")).isZero();
                assertThat(standby.isStarted())
                        .as("a standby replica is up, waiting for the Lease")
                        .isTrue();
                assertThat(hub.client
                                .leases()
                                .inNamespace(LEASE_NAMESPACE)
                                .withName("integration-hub-operator")
                                .get()
                                .getSpec()
                                .getHolderIdentity())
                        .isEqualTo("replica-a");
            }
        }
    }

    private static ProviderOperator standby(OperatorHarness hub, KubernetesClient client, OperatorMetrics metrics) {
        Clock clock = Clock.systemUTC();
        ProviderReconciler reconciler = new ProviderReconciler(
                new ProviderTranslator(new ProviderValidator(false)),
                new RegistrySync(hub.repository),
                hub.circuits,
                new ProviderEvents(client, clock),
                metrics,
                clock,
                OperatorHarness.CIRCUIT_REFRESH);
        return ProviderOperator.create(
                client,
                reconciler,
                Set.of(),
                Optional.of(new ProviderOperator.LeaderElection(
                        "integration-hub-operator", LEASE_NAMESPACE, "replica-b", false)));
    }
}
