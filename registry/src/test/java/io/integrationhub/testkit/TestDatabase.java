package io.integrationhub.testkit;

import io.integrationhub.registry.db.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A database of its own on the real local PostgreSQL (started by {@code scripts/services.sh up}),
 * created for one test class and dropped afterwards, so tests never see each other's rows or
 * leftovers. Connection settings: {@code HUB_TEST_PG_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD}
 * (default 127.0.0.1:5432, hub/hub). Before it is dropped, everything it holds is scanned for the
 * {@link Canary} ({@link Canary#scanDatabase}); {@link #live()} lists those not dropped yet.
 */
public final class TestDatabase implements AutoCloseable {
    private static final String HOST = env("HUB_TEST_PG_HOST", "127.0.0.1");
    private static final String PORT = env("HUB_TEST_PG_PORT", "5432");
    private static final String USER = env("HUB_TEST_PG_USER", "hub");
    private static final String PASSWORD = env("HUB_TEST_PG_PASSWORD", "hub");

    private static final Set<TestDatabase> LIVE = ConcurrentHashMap.newKeySet();

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    /** Creates {@code hub_test_<random>}; fails with a pointer to the set-up script when Postgres is not there. */
    public static TestDatabase create() {
        String name = "hub_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        admin("CREATE DATABASE " + name);
        TestDatabase database = new TestDatabase(name);
        LIVE.add(database);
        return database;
    }

    /** The databases this JVM created and has not dropped yet. */
    public static List<TestDatabase> live() {
        return List.copyOf(LIVE);
    }

    public String name() {
        return name;
    }

    public String url() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    public DatabaseSettings settings() {
        return new DatabaseSettings(url(), USER, PASSWORD, 8);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    /** Scans the database for the canary (see {@link Canary#scanDatabase}). */
    public void scanForCanary() {
        try (Connection connection = connect()) {
            Canary.scanDatabase(name, connection);
        } catch (SQLException e) {
            Canary.scanFailed("database " + name + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (!LIVE.remove(this)) {
            return;
        }
        scanForCanary();
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void admin(String sql) {
        String url = "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + HOST + ":" + PORT + " as '" + USER + "' is not usable (" + e.getMessage()
                            + "); run scripts/services.sh up",
                    e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
