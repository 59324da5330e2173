package io.integrationhub.controlplane;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.integrationhub.controlplane.reconcile.ProviderReconciler;
import io.integrationhub.crds.CrdConstants;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The java-operator-sdk set-up, in one place for {@code Main} and the tests, so the tests run the
 * configuration production runs.
 *
 * <p>Primary-resource patches use JSON patches rather than Server-Side Apply: the status is
 * patched from a full copy of the resource, which is equally correct against a real API server
 * and is what fabric8's mock server (our only offline API server) supports (STACK.md #2).
 */
public final class ProviderOperator implements AutoCloseable {
    /** The finalizer that holds a deleted Provider until its registry row is soft-deleted. */
    public static final String FINALIZER = CrdConstants.CRD_NAME + "/registry-row";
    /** Reconciles run in parallel; each takes a registry connection at most. */
    static final int RECONCILE_THREADS = 4;
    /**
     * Failed reconciles (registry down) are retried for as long as it takes, backing off to one
     * attempt every 5 minutes; the framework's default gives up after 5 attempts.
     */
    static GenericRetry retry() {
        return new GenericRetry()
                .setInitialInterval(Duration.ofSeconds(1))
                .setIntervalMultiplier(2)
                .setMaxInterval(Duration.ofMinutes(5).toMillis())
                .withoutMaxAttempts();
    }
    /** Every Provider is looked at at least this often, whatever events were missed. */
    static final Duration MAX_RECONCILIATION_INTERVAL = Duration.ofMinutes(10);

    /**
     * @param leaseName the Lease replicas compete for
     * @param leaseNamespace where the Lease lives; null: the operator's own namespace
     * @param identity this replica's name in the Lease; null: a random one
     * @param exitOnLoss exit the process when leadership is lost, so two replicas never reconcile
     *     at once (true in production; tests that stop the leader set false)
     */
    public record LeaderElection(String leaseName, String leaseNamespace, String identity, boolean exitOnLoss) {}

    private final Operator operator;

    private ProviderOperator(Operator operator) {
        this.operator = operator;
    }

    /**
     * @param namespaces the namespaces to watch; empty: all of them
     */
    public static ProviderOperator create(
            KubernetesClient client,
            ProviderReconciler reconciler,
            Set<String> namespaces,
            Optional<LeaderElection> leaderElection) {
        Operator operator = new Operator(overrider -> {
            overrider
                    .withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withConcurrentReconciliationThreads(RECONCILE_THREADS)
                    .withCloseClientOnStop(false)
                    // The generated CRD is installed by the chart; reading CRDs would need cluster-wide RBAC.
                    .checkingCRDAndValidateLocalModel(false);
            leaderElection.ifPresent(le -> overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                    le.leaseName(),
                    le.leaseNamespace(),
                    LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                    LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                    LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                    le.identity(),
                    null,
                    le.exitOnLoss())));
        });
        operator.register(reconciler, config -> {
            config.withName("provider")
                    .withFinalizer(FINALIZER)
                    .withRetry(retry())
                    .withReconciliationMaxInterval(MAX_RECONCILIATION_INTERVAL);
            if (namespaces.isEmpty()) {
                config.watchingAllNamespaces();
            } else {
                config.settingNamespaces(namespaces);
            }
        });
        return new ProviderOperator(operator);
    }

    public void start() {
        operator.start();
    }

    /** Started (a standby replica waiting for the Lease counts as started). */
    public boolean isStarted() {
        return operator.getRuntimeInfo().isStarted();
    }

    @Override
    public void close() {
        operator.stop();
    }
}
