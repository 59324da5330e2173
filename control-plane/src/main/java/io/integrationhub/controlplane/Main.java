package io.integrationhub.controlplane;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.integrationhub.controlplane.circuit.CircuitStateSource;
import io.integrationhub.controlplane.circuit.ValkeyCircuitStateSource;
import io.integrationhub.controlplane.health.HealthServer;
import io.integrationhub.controlplane.health.OperatorMetrics;
import io.integrationhub.controlplane.reconcile.ProviderEvents;
import io.integrationhub.controlplane.reconcile.ProviderReconciler;
import io.integrationhub.controlplane.reconcile.ProviderTranslator;
import io.integrationhub.controlplane.reconcile.RegistrySync;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the operator: settings from the environment, then the registry, the circuit source, the
 * reconciler, the operator and its health endpoint, wired by hand. A bad setting stops start-up with
 * one line naming it (exit 2); any other start-up failure exits 1.
 */
public final class Main {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());
    private static final Duration VALKEY_TIMEOUT = Duration.ofSeconds(1);

    private Main() {}

    public static void main(String[] args) {
        OperatorSettings settings;
        try {
            settings = OperatorSettings.fromEnvironment(System.getenv());
        } catch (SettingsException e) {
            System.err.println("integration-hub operator: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Running running = start(settings, new KubernetesClientBuilder().build());
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
            LOG.log(Level.INFO, "operator started: {0}; health on port {1}", new Object[] {
                settings, running.healthPort()
            });
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "operator start-up failed", e);
            System.err.println("integration-hub operator: start-up failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Everything {@link #start} opened, closed in reverse order. */
    public static final class Running implements AutoCloseable {
        private final Database database;
        private final CircuitStateSource circuits;
        private final ProviderOperator operator;
        private final HealthServer health;
        private final KubernetesClient client;

        private Running(
                Database database,
                CircuitStateSource circuits,
                ProviderOperator operator,
                HealthServer health,
                KubernetesClient client) {
            this.database = database;
            this.circuits = circuits;
            this.operator = operator;
            this.health = health;
            this.client = client;
        }

        public int healthPort() {
            return health.port();
        }

        @Override
        public void close() {
            health.close();
            operator.close();
            circuits.close();
            database.close();
            client.close();
        }
    }

    /** Wires and starts everything; the client is owned (closed) by the result. */
    public static Running start(OperatorSettings settings, KubernetesClient client) {
        Clock clock = Clock.systemUTC();
        Database database;
        try {
            database = Database.connectAndMigrate(settings.database());
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    OperatorSettings.DB_URL + ": the registry database is not usable ("
                            + rootCause(e).getMessage() + ")",
                    e);
        }
        ProviderRepository repository =
                new ProviderRepository(database.jdbi(), new Sealer(settings.masterKeys()), clock);
        CircuitStateSource circuits = settings.valkeyUrl()
                .<CircuitStateSource>map(
                        url -> ValkeyCircuitStateSource.create(url, settings.valkeyPrefix(), VALKEY_TIMEOUT))
                .orElse(CircuitStateSource.UNKNOWN);
        OperatorMetrics metrics = new OperatorMetrics();
        ProviderReconciler reconciler = new ProviderReconciler(
                new ProviderTranslator(new ProviderValidator(settings.allowInsecureHttp())),
                new RegistrySync(repository),
                circuits,
                new ProviderEvents(client, clock),
                metrics,
                clock,
                settings.circuitRefresh());
        ProviderOperator operator =
                ProviderOperator.create(client, reconciler, settings.namespaces(), settings.leaderElection());
        Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("operator", operator::isStarted);
        checks.put("registry", database::isReachable);
        HealthServer health = HealthServer.start(settings.httpPort(), checks, metrics);
        operator.start();
        return new Running(database, circuits, operator, health, client);
    }
}
