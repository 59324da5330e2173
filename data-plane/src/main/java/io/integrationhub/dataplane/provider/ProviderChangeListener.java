package io.integrationhub.dataplane.provider;

import io.integrationhub.registry.db.DatabaseSettings;
import io.integrationhub.registry.provider.ProviderRepository;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on the registry's change channel (Postgres LISTEN/NOTIFY) on a connection of its own and
 * invalidates the cache for every changed provider. Reconnects by itself; while disconnected the
 * cache is told so and bypassed.
 */
public final class ProviderChangeListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProviderChangeListener.class.getName());
    private static final int POLL_MILLIS = 250;
    private static final long RECONNECT_MILLIS = 1000;

    private final DatabaseSettings database;
    private final ProviderCache cache;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    public ProviderChangeListener(DatabaseSettings database, ProviderCache cache) {
        this.database = database;
        this.cache = cache;
        this.thread = Thread.ofPlatform().daemon().name("provider-change-listener").unstarted(this::run);
    }

    public ProviderChangeListener start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password())) {
                connection = c;
                try (Statement statement = c.createStatement()) {
                    statement.execute("LISTEN " + ProviderRepository.CHANGE_CHANNEL);
                }
                cache.notificationsLive(true);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            cache.invalidate(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                cache.notificationsLive(false);
                if (running) {
                    LOG.log(Level.WARNING, "provider change notifications lost (" + e.getSQLState() + "); reconnecting");
                    pause();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
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
