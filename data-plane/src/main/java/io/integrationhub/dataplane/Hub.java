package io.integrationhub.dataplane;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.admission.BreakerListener;
import io.integrationhub.dataplane.admission.CircuitEvents;
import io.integrationhub.dataplane.admission.ConcurrencyLimits;
import io.integrationhub.dataplane.admission.FailoverAdmission;
import io.integrationhub.dataplane.admission.InProcessAdmission;
import io.integrationhub.dataplane.admission.ValkeyAdmission;
import io.integrationhub.dataplane.admission.Waiters;
import io.integrationhub.dataplane.api.RequestBodies;
import io.integrationhub.dataplane.auth.Authenticator;
import io.integrationhub.dataplane.auth.TokenVerifier;
import io.integrationhub.dataplane.body.Bodies;
import io.integrationhub.dataplane.body.MemoryBudget;
import io.integrationhub.dataplane.body.SpillDirectory;
import io.integrationhub.dataplane.call.CallRoutes;
import io.integrationhub.dataplane.call.CallService;
import io.integrationhub.dataplane.call.CallStats;
import io.integrationhub.dataplane.call.Sleeper;
import io.integrationhub.dataplane.call.UsageSharing;
import io.integrationhub.dataplane.callrecord.CallRecords;
import io.integrationhub.dataplane.config.Settings;
import io.integrationhub.dataplane.config.ValkeySettings;
import io.integrationhub.dataplane.credentials.CredentialInjector;
import io.integrationhub.dataplane.credentials.OAuth2Tokens;
import io.integrationhub.dataplane.dlq.Dlq;
import io.integrationhub.dataplane.edge.ChunkLineLimit;
import io.integrationhub.dataplane.edge.ServerEdge;
import io.integrationhub.dataplane.egress.DestinationPolicy;
import io.integrationhub.dataplane.egress.HostResolver;
import io.integrationhub.dataplane.egress.InsecureHttpGuard;
import io.integrationhub.dataplane.egress.OutboundClients;
import io.integrationhub.dataplane.events.Events;
import io.integrationhub.dataplane.grpc.CallSizeLimit;
import io.integrationhub.dataplane.grpc.IntegrationHubGrpcService;
import io.integrationhub.dataplane.health.HealthRoutes;
import io.integrationhub.dataplane.observe.CallTelemetry;
import io.integrationhub.dataplane.observe.HubMetrics;
import io.integrationhub.dataplane.observe.MetricsRoutes;
import io.integrationhub.dataplane.observe.TraceContextFilter;
import io.integrationhub.dataplane.observe.Tracing;
import io.integrationhub.dataplane.openapi.OpenApiRoutes;
import io.integrationhub.dataplane.provider.ProviderCache;
import io.integrationhub.dataplane.provider.ProviderChangeListener;
import io.integrationhub.dataplane.provider.ProviderHealth;
import io.integrationhub.dataplane.provider.ProviderRoutes;
import io.integrationhub.dataplane.provider.ProviderService;
import io.integrationhub.dataplane.startup.BoundListeners;
import io.integrationhub.dataplane.startup.Listener;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.dlq.DeadLetterRepository;
import io.integrationhub.registry.idempotency.IdempotencyRepository;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One running data plane: its components wired by hand from {@link Settings}, and the web server.
 * Tests start several in one JVM, each on its own port.
 */
public final class Hub implements AutoCloseable {
    private static final String GRPC_SOCKET = "grpc";
    private static final String MANAGEMENT_SOCKET = "management";
    private final Database database;
    private final WebServer server;
    private final List<AutoCloseable> closeables;
    private final ProviderRepository providers;

    private Hub(Database database, WebServer server, List<AutoCloseable> closeables, ProviderRepository providers) {
        this.database = database;
        this.server = server;
        this.closeables = closeables;
        this.providers = providers;
    }

    /** A provider as stored, for tests that drive a component directly. */
    public io.integrationhub.registry.provider.Provider providerForTests(String tenantId, String idOrName) {
        return providers.find(tenantId, idOrName).orElseThrow();
    }

    /**
     * What tests may replace: how the hub waits between attempts, tells time, resolves host names
     * and draws jitter, and how much of an unread request body the edge drains. Production uses {@link #defaults()}.
     */
    public record Options(
            Sleeper sleeper, Clock clock, HostResolver resolver, RandomGenerator random, ServerEdge.Drain drain) {
        public Options(Sleeper sleeper, Clock clock, HostResolver resolver, RandomGenerator random) {
            this(sleeper, clock, resolver, random, ServerEdge.Drain.DEFAULT);
        }

        public static Options defaults() {
            return new Options(Sleeper.REAL, Clock.systemUTC(), HostResolver.SYSTEM, new SecureRandom());
        }

        public Options withSleeper(Sleeper value) {
            return new Options(value, clock, resolver, random, drain);
        }

        public Options withResolver(HostResolver value) {
            return new Options(sleeper, clock, value, random, drain);
        }

        public Options withDrain(ServerEdge.Drain value) {
            return new Options(sleeper, clock, resolver, random, value);
        }
    }

    /** Connects and migrates the registry, then starts listening. */
    public static Hub start(Settings settings, Config serverConfig) {
        return start(settings, serverConfig, Options.defaults());
    }

    /** As {@link #start(Settings, Config)}, with test doubles. */
    public static Hub start(Settings settings, Config serverConfig, Options options) {
        Database database = Database.connectAndMigrate(settings.database());
        List<AutoCloseable> closeables = new ArrayList<>();
        try {
            Clock clock = options.clock();
            Sealer sealer = new Sealer(MasterKeys.parse(
                    settings.masterKeys().keys(), settings.masterKeys().keyId()));
            ProviderRepository providers = new ProviderRepository(database.jdbi(), sealer, clock);
            InsecureHttpGuard insecureHttp =
                    new InsecureHttpGuard(settings.egress().allowInsecureHttp());
            ProviderCache providerCache = new ProviderCache(providers, clock, insecureHttp);
            ProviderChangeListener changeListener =
                    new ProviderChangeListener(settings.database(), providerCache).start();
            closeables.add(changeListener);
            OutboundClients clients = new OutboundClients(
                    options.resolver(), new DestinationPolicy(settings.egress().allowedCidrs()), insecureHttp);
            IdempotencyRepository idempotency = new IdempotencyRepository(database.jdbi(), sealer, clock);
            CircuitEvents circuitEvents = new CircuitEvents(database.jdbi(), clock);
            closeables.add(circuitEvents);
            CallStats callStats = new CallStats(clock);
            // Added before the admission it shares through, so it stops first (closeables close in order).
            List<AutoCloseable> sharing = new ArrayList<>();
            closeables.add(() -> closeAll(sharing));
            Admission admission = admission(settings.valkey(), clock, circuitEvents, closeables);
            sharing.add(new UsageSharing(callStats, admission));
            DeadLetterRepository deadLetters = new DeadLetterRepository(database.jdbi(), sealer, clock);
            CallRecords callRecords =
                    CallRecords.start(settings.directories().spoolDir(), sealer, deadLetters, idempotency, clock);
            closeables.add(callRecords);
            HubMetrics metrics =
                    new HubMetrics(admission, settings.observability().metricsMaxProviders());
            metrics.spool(callRecords::pending, callRecords::rejected);
            metrics.dlqDepth(deadLetters::depth);
            closeables.add(metrics);
            Tracing tracing = Tracing.create(settings.observability().otlpEndpoint());
            closeables.add(tracing);
            SpillDirectory spillDirectory =
                    SpillDirectory.create(settings.dataPath().spillDir());
            closeables.add(spillDirectory);
            Bodies callBodies = new Bodies(
                    new MemoryBudget(settings.dataPath().memoryBudgetBytes()),
                    spillDirectory.spills(),
                    settings.dataPath().bodyMemoryBytes(),
                    settings.dataPath().maxBodyBytes());
            metrics.memoryBudget(callBodies.budget());
            Waiters waiters = new Waiters(settings.providers().maxWaiters(), clock);
            CallService calls = new CallService(
                    providerCache,
                    admission,
                    new ConcurrencyLimits(),
                    new CredentialInjector(providers, new OAuth2Tokens(clients, clock)),
                    clients,
                    idempotency,
                    callRecords,
                    options.sleeper(),
                    clock,
                    options.random(),
                    settings.providers().rateLimitPerSec(),
                    callStats,
                    new CallTelemetry(metrics, tracing),
                    callBodies,
                    settings.dataPath().maxKeptAnswerBytes(),
                    waiters);
            Dlq dlq = Dlq.start(settings.rabbitMq(), database.jdbi(), sealer, clock, calls, providers);
            closeables.add(dlq);
            Events events = Events.start(settings.kafka(), database.jdbi(), clock);
            closeables.add(events);
            ProviderService providerService = new ProviderService(
                    providers,
                    new ProviderValidator(settings.egress().allowInsecureHttp()),
                    settings.providers().rateLimitPerSec(),
                    providerCache,
                    settings.providers().maxProvidersPerTenant());
            Authenticator authenticator = new Authenticator(new TokenVerifier(
                    settings.tokens().jwtSecret(),
                    settings.tokens().jwksUrl(),
                    settings.tokens().rules()));
            RequestBodies bodies = new RequestBodies(settings.dataPath().maxBodyBytes());

            ProviderHealth providerHealth = new ProviderHealth(
                    admission, callStats, settings.providers().rateLimitPerSec(), waiters);
            ServerEdge edge = new ServerEdge(settings.dataPath().maxBodyBytes(), options.drain());
            closeables.add(edge);
            HttpRouting.Builder routing = HttpRouting.builder();
            edge.register(routing);
            routing.addFilter(new TraceContextFilter());
            HealthRoutes health = new HealthRoutes(
                    database,
                    Map.of(
                            "valkey",
                            () -> !settings.valkey().enabled() ? "DISABLED" : admission.degraded() ? "DEGRADED" : "UP",
                            "rabbitmq",
                            () -> !settings.rabbitMq().enabled()
                                    ? "DISABLED"
                                    : dlq.queue().isAvailable() ? "UP" : "DEGRADED",
                            "kafka",
                            () -> !settings.kafka().enabled()
                                    ? "DISABLED"
                                    : events.relay().isFailing() ? "DEGRADED" : "UP",
                            "callRecordSpool",
                            () -> callRecords.pending() + callRecords.rejected() == 0 ? "UP" : "DEGRADED",
                            "providerChangeListener",
                            changeListener::health));
            // /health on both ports (probes use the API port); /metrics only on the management port.
            HttpRouting.Builder management = HubRoutes.management(
                    HttpRouting.builder(),
                    new HubRoutes.Management(
                            health,
                            new MetricsRoutes(metrics, settings.observability().metricsToken())));
            HubRoutes.api(
                    routing,
                    new HubRoutes.Api(
                            health,
                            new ProviderRoutes(providerService, authenticator, bodies, providerHealth),
                            new CallRoutes(calls, authenticator, callBodies, clock),
                            dlq.routes(authenticator),
                            new OpenApiRoutes()));
            HeaderDeadline headerDeadline =
                    new HeaderDeadline(settings.listeners().headerTimeout());
            closeables.add(headerDeadline);
            io.helidon.webserver.http1.Http1Config http1 = io.helidon.webserver.http1.Http1Config.builder()
                    .addReceiveListener(headerDeadline)
                    .build();
            WebServer server = ConnectionHygiene.apply(WebServer.builder().config(serverConfig), settings.listeners())
                    .host(settings.listeners().host())
                    .port(settings.listeners().httpPort())
                    .shutdownHook(false)
                    .update(edge::configure)
                    .routing(routing)
                    // HTTP/1.1 only on the REST port, as before gRPC (whose HTTP/2 is on its own port).
                    .protocolsDiscoverServices(false)
                    .addConnectionSelector(ChunkLineLimit.http1(http1))
                    .putSocket(
                            GRPC_SOCKET,
                            socket -> ConnectionHygiene.apply(socket, settings.listeners())
                                    .host(settings.listeners().host())
                                    .port(settings.listeners().grpcPort())
                                    .update(grpc -> CallSizeLimit.configure(
                                            grpc, settings.dataPath().maxBodyBytes()))
                                    .addRouting(new IntegrationHubGrpcService(
                                                    providerService,
                                                    providerHealth,
                                                    calls,
                                                    dlq.service(),
                                                    authenticator,
                                                    callBodies,
                                                    settings.dataPath().grpcMaxAnswerBytes(),
                                                    clock)
                                            .routing()
                                            .intercept(new CallSizeLimit(
                                                    settings.dataPath().maxBodyBytes()))))
                    .putSocket(
                            MANAGEMENT_SOCKET,
                            socket -> ConnectionHygiene.apply(socket, settings.listeners())
                                    .host(settings.listeners().host())
                                    .port(settings.listeners().managementPort())
                                    .protocolsDiscoverServices(false)
                                    .addConnectionSelector(ChunkLineLimit.http1(http1))
                                    .addRouting(management))
                    .build()
                    .start();
            BoundListeners.require(
                    server,
                    List.of(
                            new Listener(
                                    WebServer.DEFAULT_SOCKET_NAME,
                                    "HTTP API",
                                    settings.listeners().host(),
                                    settings.listeners().httpPort(),
                                    "INTEGRATION_HTTP_PORT"),
                            new Listener(
                                    GRPC_SOCKET,
                                    "gRPC API",
                                    settings.listeners().host(),
                                    settings.listeners().grpcPort(),
                                    "INTEGRATION_GRPC_PORT"),
                            new Listener(
                                    MANAGEMENT_SOCKET,
                                    "management API",
                                    settings.listeners().host(),
                                    settings.listeners().managementPort(),
                                    "INTEGRATION_MANAGEMENT_PORT")));
            return new Hub(database, server, closeables, providers);
        } catch (RuntimeException e) {
            closeAll(closeables);
            database.close();
            throw e;
        }
    }

    /**
     * Shared admission in Valkey (falling back to deciding alone while it is unreachable) when
     * INTEGRATION_VALKEY_URL is set; otherwise the in-process adapter (standalone mode).
     */
    private static Admission admission(
            ValkeySettings valkey, Clock clock, BreakerListener listener, List<AutoCloseable> closeables) {
        InProcessAdmission local = new InProcessAdmission(clock, listener);
        if (!valkey.enabled()) {
            return local;
        }
        FailoverAdmission failover = new FailoverAdmission(
                new ValkeyAdmission(valkey.url(), valkey.prefix(), listener),
                local,
                valkey.expectedReplicas(),
                Duration.ofSeconds(1));
        closeables.add(failover);
        return failover;
    }

    public int port() {
        return server.port();
    }

    /** The port of the gRPC API (INTEGRATION_GRPC_PORT). */
    public int grpcPort() {
        return server.port(GRPC_SOCKET);
    }

    /** The port of /metrics and /health (INTEGRATION_MANAGEMENT_PORT). */
    public int managementPort() {
        return server.port(MANAGEMENT_SOCKET);
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        server.stop();
        closeAll(closeables);
        database.close();
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                java.util.logging.Logger.getLogger(Hub.class.getName()).warning("close: " + e.getMessage());
            }
        }
    }
}
