package io.integrationhub.dataplane.provider;

import io.integrationhub.dataplane.background.BackgroundLoop;
import io.integrationhub.dataplane.call.Sleeper;
import io.integrationhub.registry.db.DatabaseSettings;
import io.integrationhub.registry.provider.ProviderRepository;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on the registry's change channel (Postgres LISTEN/NOTIFY) on a connection of its own and
 * invalidates the cache for every changed provider. Whatever stops it (a lost connection, a bug, an
 * {@code OutOfMemoryError}) it is restarted by its {@link BackgroundLoop}; until it listens again the
 * cache is told so and bypassed, and readiness reports it {@code DEGRADED}.
 */
public final class ProviderChangeListener implements AutoCloseable {
    static final String THREAD_NAME = "provider-change-listener";
    private static final int POLL_MILLIS = 250;

    private final DatabaseSettings database;
    private final Consumer<String> changed;
    private final Consumer<Boolean> live;
    private final Sleeper sleeper;
    private volatile BackgroundLoop loop;
    private volatile Connection connection;

    public ProviderChangeListener(DatabaseSettings database, ProviderCache cache) {
        this(database, cache::invalidate, cache::notificationsLive, Sleeper.REAL);
    }

    /**
     * @param changed told the id of every changed provider
     * @param live told whether notifications arrive (false while reconnecting: the cache must not be trusted)
     */
    ProviderChangeListener(
            DatabaseSettings database, Consumer<String> changed, Consumer<Boolean> live, Sleeper sleeper) {
        this.database = database;
        this.changed = changed;
        this.live = live;
        this.sleeper = sleeper;
    }

    public ProviderChangeListener start() {
        loop = BackgroundLoop.named(THREAD_NAME)
                .pauser(BackgroundLoop.sleeping(sleeper))
                .runSessions(this::listen);
        return this;
    }

    /** {@code UP} while listening, {@code DEGRADED} while reconnecting or restarting. */
    public String health() {
        BackgroundLoop current = loop;
        return current == null ? "DEGRADED" : current.health();
    }

    /** How many times listening started over (after a lost connection or a failure). */
    public int restarts() {
        BackgroundLoop current = loop;
        return current == null ? 0 : current.restarts();
    }

    private void listen(BackgroundLoop.Control control) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password())) {
            connection = c;
            try (Statement statement = c.createStatement()) {
                statement.execute("LISTEN " + ProviderRepository.CHANGE_CHANNEL);
            }
            live.accept(true);
            control.up();
            PGConnection pg = c.unwrap(PGConnection.class);
            while (control.running()) {
                PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        changed.accept(notification.getParameter());
                    }
                }
            }
        } finally {
            // Whatever ended the session (even an Error), changes may now be missed: stop trusting the cache.
            live.accept(false);
            connection = null;
        }
    }

    @Override
    public void close() {
        BackgroundLoop current = loop;
        if (current != null) {
            current.close();
        }
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
