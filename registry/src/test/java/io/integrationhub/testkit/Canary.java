package io.integrationhub.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The canary secret that tests put into credentials, and the journal of everything the hub showed
 * the outside world during the run (HTTP answers, log lines). A final test scans the journal: the
 * canary must never appear in it.
 */
public final class Canary {
    /** A credential value no real system would produce; finding it anywhere visible is a leak. */
    public static final String SECRET = "cnry-5ecret-7Qx9-DO-NOT-LEAK";

    private static final ConcurrentLinkedQueue<Entry> JOURNAL = new ConcurrentLinkedQueue<>();
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
