package io.integrationhub.controlplane;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.integrationhub.controlplane.circuit.CircuitStateSource;
import io.integrationhub.controlplane.health.OperatorMetrics;
import io.integrationhub.controlplane.kube.AdmittingCrudDispatcher;
import io.integrationhub.controlplane.reconcile.ProviderEvents;
import io.integrationhub.controlplane.reconcile.ProviderReconciler;
import io.integrationhub.controlplane.reconcile.ProviderTranslator;
import io.integrationhub.controlplane.reconcile.RegistrySync;
import io.integrationhub.crds.CrdConstants;
import io.integrationhub.crds.admission.ProviderAdmission;
import io.integrationhub.crds.status.CircuitState;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.testkit.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A running operator against fabric8's mock API server in CRUD mode (with the generated CRD
 * installed) and a fresh database on the real local PostgreSQL. Tests create their resources in
 * namespaces of their own ({@link #newNamespace()}), so one harness serves a whole test class.
 */
public final class OperatorHarness implements AutoCloseable {
    /** Short, so that circuit refreshes and rechecks show within a test's patience. */
    public static final Duration CIRCUIT_REFRESH = Duration.ofSeconds(1);

    /** The mock's dispatcher: admission as the API server does it, and the faults a test arms. */
    public final AdmittingCrudDispatcher dispatcher = new AdmittingCrudDispatcher(ProviderAdmission.ofGeneratedCrd());

    public final KubernetesMockServer server;
    public final KubernetesClient client;
    public final TestDatabase testDatabase;
    public final Database database;
    public final ProviderRepository repository;
    public final FakeCircuits circuits = new FakeCircuits();
    public final OperatorMetrics metrics = new OperatorMetrics();
    public final ProviderOperator operator;

    private OperatorHarness(Optional<ProviderOperator.LeaderElection> leaderElection) {
        server = MockApiServer.start(dispatcher);
        client = server.createClient();
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(generatedCrd())
                .create();
        testDatabase = TestDatabase.create();
        database = Database.connectAndMigrate(testDatabase.settings());
        Clock clock = Clock.systemUTC();
        repository = new ProviderRepository(
                database.jdbi(), new Sealer(MasterKeys.parse(MasterKeys.generateSpec("k1"), null)), clock);
        ProviderReconciler reconciler = new ProviderReconciler(
                new ProviderTranslator(new ProviderValidator(false)),
                new RegistrySync(repository),
                circuits,
                new ProviderEvents(client, clock),
                metrics,
                clock,
                CIRCUIT_REFRESH);
        operator = ProviderOperator.create(client, reconciler, Set.of(), leaderElection);
        operator.start();
    }

    public static OperatorHarness start() {
        return new OperatorHarness(Optional.empty());
    }

    public static OperatorHarness startWithLeaderElection(ProviderOperator.LeaderElection leaderElection) {
        return new OperatorHarness(Optional.of(leaderElection));
    }

    /** A namespace (and so a tenant) no other test uses. */
    public String newNamespace() {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        return name;
    }

    public <T extends HasMetadata> T create(T resource) {
        return client.resource(resource).create();
    }

    public static CustomResourceDefinition generatedCrd() {
        try (InputStream in = OperatorHarness.class.getClassLoader().getResourceAsStream(CrdConstants.CRD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CrdConstants.CRD_RESOURCE + " is not on the classpath (crds jar)");
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        operator.close();
        client.close();
        server.destroy();
        database.close();
        testDatabase.close();
    }

    /** The data plane's breaker states as a test sets them (a hand-written fake of the Valkey adapter). */
    public static final class FakeCircuits implements CircuitStateSource {
        private final Map<String, CircuitState> states = new ConcurrentHashMap<>();

        public void set(String providerId, CircuitState state) {
            states.put(providerId, state);
        }

        @Override
        public CircuitState stateOf(String providerId) {
            return states.getOrDefault(providerId, CircuitState.Closed);
        }
    }
}
