package io.integrationhub.dataplane;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.ProblemType;
import io.integrationhub.dataplane.api.Problems;
import io.integrationhub.dataplane.api.RequestBodies;
import io.integrationhub.dataplane.auth.Authenticator;
import io.integrationhub.dataplane.auth.TokenVerifier;
import io.integrationhub.dataplane.config.Settings;
import io.integrationhub.dataplane.health.HealthRoutes;
import io.integrationhub.dataplane.provider.ProviderRoutes;
import io.integrationhub.dataplane.provider.ProviderService;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import java.net.URI;
import java.time.Clock;

/**
 * One running data plane: its components wired by hand from {@link Settings}, and the web server.
 * Tests start several in one JVM, each on its own port.
 */
public final class Hub implements AutoCloseable {
    private final Database database;
    private final WebServer server;

    private Hub(Database database, WebServer server) {
        this.database = database;
        this.server = server;
    }

    /** Connects and migrates the registry, then starts listening. */
    public static Hub start(Settings settings, Config serverConfig) {
        Database database = Database.connectAndMigrate(settings.database());
        try {
            Sealer sealer = new Sealer(MasterKeys.parse(settings.masterKeys(), settings.masterKeyId()));
            ProviderRepository providers = new ProviderRepository(database.jdbi(), sealer, Clock.systemUTC());
            ProviderService providerService = new ProviderService(providers,
                    new ProviderValidator(settings.allowInsecureHttp()), settings.rateLimitPerSec());
            Authenticator authenticator = new Authenticator(new TokenVerifier(settings.jwtSecret(), settings.jwksUrl()));
            RequestBodies bodies = new RequestBodies(settings.maxBodyBytes());

            HttpRouting.Builder routing = HttpRouting.builder();
            Problems.register(routing);
            routing.register(HealthRoutes.PATH, new HealthRoutes(database))
                    .register(ProviderRoutes.PATH, new ProviderRoutes(providerService, authenticator, bodies))
                    .any((req, res) -> {
                        throw new ApiException(ProblemType.NOT_FOUND, "no route " + req.path().absolute().path());
                    });
            WebServer server = WebServer.builder()
                    .config(serverConfig)
                    .host(settings.httpHost())
                    .port(settings.httpPort())
                    .shutdownHook(false)
                    .routing(routing)
                    .build()
                    .start();
            return new Hub(database, server);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        server.stop();
        database.close();
    }
}
