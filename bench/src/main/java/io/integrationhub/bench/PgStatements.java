package io.integrationhub.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Statements one database has run so far, from pg_stat_statements (the bench's private PostgreSQL
 * loads it; BEGIN and COMMIT count as statements, track_utility being on): the keyed path's
 * PostgreSQL work per call, as the Valkey commands per call are counted with INFO commandstats.
 * Without the extension (--shared-services) every figure is -1 and the column stays empty.
 */
final class PgStatements {
    private final String adminUrl;
    private final String user;
    private final String password;
    private boolean available = true;

    PgStatements(String adminUrl, String user, String password) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * Transactions committed in {@code database} so far (pg_stat_database: backends report it at
     * most about once a second), or -1. An autocommit statement is one.
     */
    long commits(String database) {
        if (!available) {
            return -1;
        }
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                PreparedStatement q =
                        c.prepareStatement("SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
            q.setString(1, database);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    /**
     * The median time of 50 one-row INSERTs in autocommit into a table of the bench's own in the
     * database at {@code url}, each one durable commit: what the keyed path waits for twice per call.
     * NaN when it cannot be measured.
     */
    double commitLatencyMillis(String url) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (var s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS bench_commit_probe (id bigserial PRIMARY KEY, at timestamptz)");
            }
            double[] millis = new double[50];
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_commit_probe (at) VALUES (now())")) {
                for (int i = 0; i < millis.length; i++) {
                    long t0 = System.nanoTime();
                    insert.executeUpdate();
                    millis[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            java.util.Arrays.sort(millis);
            return millis[millis.length / 2];
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    /** Statements run in {@code database} so far (its own connections only), or -1. */
    long executed(String database) {
        if (!available) {
            return -1;
        }
        try (Connection c = DriverManager.getConnection(adminUrl, user, password)) {
            try (var s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
            try (PreparedStatement q = c.prepareStatement("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
                    + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = ?)")) {
                q.setString(1, database);
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        } catch (SQLException e) {
            available = false; // not loaded (shared_preload_libraries): said once by an empty column
            return -1;
        }
    }
}
