package io.integrationhub.registry.db;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import org.jdbi.v3.core.ConnectionException;

/** Telling an outage of the registry database (worth waiting out) from a bug. */
public final class DatabaseFailures {
    private DatabaseFailures() {}

    /**
     * True when {@code e} was caused by a lost, refused or timed-out database connection: the pool
     * timing out, SQLState class 08 (connection exception) or 57P (the server shutting down).
     */
    public static boolean isUnreachable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof ConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
