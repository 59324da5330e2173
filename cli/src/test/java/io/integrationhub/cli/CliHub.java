package io.integrationhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.dataplane.auth.Scope;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.db.Database;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.ProviderRepository;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.testkit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The data plane's {@link TestHub} as hubctl's tests use it: a fresh database (commits not waiting
 * for the disk), a free port on 127.0.0.1, plain http allowed (WireMock plays providers); tokens that
 * outlast a long suite, and a provider row written as the operator would.
 */
public final class CliHub implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestHub hub;

    private CliHub(TestHub hub) {
        this.hub = hub;
    }

    public static CliHub start() {
        TestDatabase database = TestDatabase.create();
        try {
            try (Connection admin = database.connect();
                    Statement statement = admin.createStatement()) {
                // A throwaway database: commits need not wait for the disk (the machine's disk is shared and slow).
                statement.execute("ALTER DATABASE " + database.name() + " SET synchronous_commit = off");
            }
            return new CliHub(TestHub.owning(database, Map.of()));
        } catch (SQLException e) {
            database.close();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public URI baseUri() {
        return hub.hub().baseUri();
    }

    public String endpoint() {
        return baseUri().toString();
    }

    public String token(String tenant, Scope... scopes) {
        return hub.token("hubctl-test", Duration.ofMinutes(30), tenant, scopes);
    }

    /** A token with every scope. */
    public String adminToken(String tenant) {
        return token(tenant, Scope.values());
    }

    /** Writes a provider row owned by the operator (read-only over REST and hubctl). */
    public void createOperatorManaged(String tenant, String documentJson) {
        try (Database db = Database.connectAndMigrate(hub.database().settings())) {
            JsonNode document = Json.mapper().readTree(documentJson);
            new ProviderRepository(db.jdbi(), hub.sealer(), Clock.systemUTC())
                    .create(tenant, new ProviderValidator(true).validateNew(document), ManagedBy.OPERATOR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection to the hub's database, for checking what it holds independently of hubctl. */
    public Connection connectToDatabase() throws SQLException {
        return hub.database().connect();
    }

    /** A plain GET, for checking what the hub serves independently of hubctl. */
    public int status(String path, String token) {
        try {
            HttpRequest request = HttpRequest.newBuilder(baseUri().resolve(path))
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
    }
}
