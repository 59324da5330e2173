package io.integrationhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.dataplane.auth.TokenIssuer;
import io.integrationhub.dataplane.config.SettingsLoader;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.testkit.Canary;
import io.integrationhub.testkit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real data plane for hubctl's tests: a fresh database on the local PostgreSQL, settings through
 * the production {@link SettingsLoader}, a free port on 127.0.0.1, plain http allowed (WireMock
 * plays providers). Also issues tokens and can write a row as the operator would.
 */
public final class CliHub implements AutoCloseable {
    public static final String JWT_SECRET = "cli-test-secret-of-at-least-thirty-two-bytes";
    private static final String MASTER_KEYS = MasterKeys.generateSpec("cli1");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestDatabase database;
    private final Hub hub;
    private final TokenIssuer issuer = new TokenIssuer(JWT_SECRET);

    private CliHub(TestDatabase database, Hub hub) {
        this.database = database;
        this.hub = hub;
    }

    public static CliHub start() {
        Canary.captureLogs();
        TestDatabase database = TestDatabase.create();
        try (java.sql.Connection admin = database.connect();
                java.sql.Statement statement = admin.createStatement()) {
            // A throwaway database: commits need not wait for the disk (the machine's disk is shared and slow).
            statement.execute("ALTER DATABASE " + database.name() + " SET synchronous_commit = off");
        } catch (java.sql.SQLException e) {
            database.close();
            throw new IllegalStateException(e);
        }
        Map<String, String> env = new HashMap<>();
        env.put("INTEGRATION_HTTP_PORT", "0");
        env.put("INTEGRATION_HTTP_HOST", "127.0.0.1");
        env.put("INTEGRATION_DB_URL", database.url());
        env.put("INTEGRATION_DB_USER", database.settings().user());
        env.put("INTEGRATION_DB_PASSWORD", database.settings().password());
        env.put("INTEGRATION_MASTER_KEYS", MASTER_KEYS);
        env.put("INTEGRATION_JWT_SECRET", JWT_SECRET);
        env.put("INTEGRATION_ALLOW_INSECURE_HTTP", "true");
        try {
            return new CliHub(database, Hub.start(new SettingsLoader(env::get, Config.empty()).load(), Config.empty()));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public URI baseUri() {
        return hub.baseUri();
    }

    public String endpoint() {
        return hub.baseUri().toString();
    }

    public String token(String tenant, Scope... scopes) {
        return issuer.issue("hubctl-test", tenant, Duration.ofMinutes(30), scopes);
    }

    /** A token with every scope. */
    public String adminToken(String tenant) {
        return token(tenant, Scope.values());
    }

    /** Writes a provider row owned by the operator (read-only over REST and hubctl). */
    public void createOperatorManaged(String tenant, String documentJson) {
        try (Database db = Database.connectAndMigrate(database.settings())) {
            JsonNode document = Json.mapper().readTree(documentJson);
            new ProviderRepository(db.jdbi(), new Sealer(MasterKeys.parse(MASTER_KEYS, null)), Clock.systemUTC())
                    .create(tenant, new ProviderValidator(true).validateNew(document), ManagedBy.OPERATOR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection to the hub's database, for checking what it holds independently of hubctl. */
    public java.sql.Connection connectToDatabase() throws java.sql.SQLException {
        return database.connect();
    }

    /** A plain GET, for checking what the hub serves independently of hubctl. */
    public int status(String path, String token) {
        try {
            HttpRequest request = HttpRequest.newBuilder(hub.baseUri().resolve(path))
                    .header("Authorization", "Bearer " + token)
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        hub.close();
        database.close();
    }
}
