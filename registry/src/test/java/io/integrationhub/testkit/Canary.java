package io.integrationhub.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The canary secret that tests put into credentials, and the journal of everything the hub showed
 * the outside world during the run (HTTP answers, log lines). A final test scans the journal: the
 * canary must never appear in it. Every {@link TestDatabase} is also scanned for the canary in
 * every form ({@link CanaryForms}) just before it is dropped; the scans are kept here.
 */
public final class Canary {
    /** A credential value no real system would produce; finding it anywhere visible is a leak. */
    public static final String SECRET = "cnry-5ecret-7Qx9-DO-NOT-LEAK";

    private static final CanaryForms FORMS = CanaryForms.of(SECRET);
    private static final ConcurrentLinkedQueue<Entry> JOURNAL = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<DatabaseScan> DATABASE_SCANS = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<String> SCAN_FAILURES = new ConcurrentLinkedQueue<>();
    private static volatile boolean logsCaptured;

    private Canary() {}

    /** One thing the hub showed: where it was seen and its full text. */
    public record Entry(String source, String text) {}

    /** Records what the hub showed (an HTTP answer's status line, headers and body, a CLI output...). */
    public static void record(String source, String text) {
        JOURNAL.add(new Entry(source, text == null ? "" : text));
    }

    public static List<Entry> journal() {
        return new ArrayList<>(JOURNAL);
    }

    /** Entries whose text contains the canary. */
    public static List<Entry> leaks() {
        return JOURNAL.stream().filter(e -> e.text().contains(SECRET)).toList();
    }

    /** The forms (plaintext, base64, URL/percent-encoded, hex) in which the canary is searched for. */
    public static CanaryForms forms() {
        return FORMS;
    }

    /** Which form of the canary {@code text} shows, if any. */
    public static Optional<String> foundIn(String text) {
        return FORMS.foundIn(text);
    }

    /** Scans a database for the canary in every form and keeps the result; a failure to scan is kept too. */
    public static void scanDatabase(String name, Connection connection) {
        try {
            DATABASE_SCANS.add(DatabaseScan.scan(name, connection, FORMS));
        } catch (SQLException e) {
            SCAN_FAILURES.add("database " + name + ": " + e.getMessage());
        }
    }

    /** Every database scanned so far (each test database once, when it was dropped). */
    public static List<DatabaseScan> databaseScans() {
        return new ArrayList<>(DATABASE_SCANS);
    }

    /** Something that should have been scanned could not be (a scan that did not happen proves nothing). */
    public static void scanFailed(String what) {
        SCAN_FAILURES.add(what);
    }

    public static List<String> scanFailures() {
        return new ArrayList<>(SCAN_FAILURES);
    }

    /** Captures every JUL record (all libraries log through JUL here) from now on into the journal. */
    public static synchronized void captureLogs() {
        if (logsCaptured) {
            return;
        }
        SimpleFormatter formatter = new SimpleFormatter();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                record("log " + record.getLoggerName(), formatter.format(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        handler.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        logsCaptured = true;
    }
}
