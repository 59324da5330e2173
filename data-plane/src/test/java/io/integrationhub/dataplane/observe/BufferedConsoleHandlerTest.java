package io.integrationhub.dataplane.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * The console handler: INFO lines wait in memory until a flush and then go out whole, in order, in one
 * write; a WARNING goes out at once with everything before it; a burst past the bound is written by the
 * publishing thread; close writes what is left. (The handlers here have no writer thread: the test is the
 * only one that flushes.)
 */
class BufferedConsoleHandlerTest {
    /** Records each write call separately, to see what was batched. */
    private static final class Writes extends OutputStream {
        final List<String> writes = new ArrayList<>();

        @Override
        public void write(int b) {
            writes.add(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }

        String all() {
            return String.join("", writes);
        }
    }

    private static LogRecord record(Level level, String message) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(CallTelemetry.ACCESS_LOGGER);
        return record;
    }

    @Test
    void infoLinesWaitForAFlushThenGoOutWholeInOrderInOneWrite() {
        Writes out = new Writes();
        BufferedConsoleHandler handler = new BufferedConsoleHandler(out, false);
        for (int i = 0; i < 100; i++) {
            handler.publish(record(Level.INFO, "call GET success " + i));
        }
        assertThat(out.writes).isEmpty();

        handler.flush();

        assertThat(out.writes).hasSize(1);
        String[] lines = out.all().split(System.lineSeparator());
        assertThat(lines).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(lines[i]).startsWith("{").endsWith("}").contains("\"message\":\"call GET success " + i + "\"");
        }
        handler.flush();
        assertThat(out.writes).hasSize(1);
    }

    @Test
    void aWarningIsWrittenAtOnceAfterTheLinesBeforeIt() {
        Writes out = new Writes();
        BufferedConsoleHandler handler = new BufferedConsoleHandler(out, false);
        handler.publish(record(Level.INFO, "first"));
        handler.publish(record(Level.WARNING, "second"));

        assertThat(out.writes).hasSize(1);
        assertThat(out.all()).containsSubsequence("\"message\":\"first\"", "\"message\":\"second\"");
    }

    @Test
    void aBurstPastTheBoundIsWrittenByThePublisherSoMemoryStaysBounded() {
        Writes out = new Writes();
        BufferedConsoleHandler handler = new BufferedConsoleHandler(out, false);
        String text = "x".repeat(1000);
        int published = 0;
        while (out.writes.isEmpty()) {
            handler.publish(record(Level.INFO, text));
            published++;
            assertThat(published).isLessThan(1000);
        }
        // About MAX_PENDING_BYTES of lines went out in one write, all of them whole.
        assertThat(out.all().length()).isGreaterThanOrEqualTo(BufferedConsoleHandler.MAX_PENDING_BYTES);
        assertThat(out.all().split(System.lineSeparator())).hasSize(published);
    }

    @Test
    void closeWritesWhatIsLeftAndLaterRecordsAreIgnored() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BufferedConsoleHandler handler = new BufferedConsoleHandler(out, false);
        handler.publish(record(Level.INFO, "last words"));
        handler.close();
        handler.publish(record(Level.INFO, "after close"));
        handler.flush();

        String written = out.toString(StandardCharsets.UTF_8);
        assertThat(written).contains("last words").doesNotContain("after close");
    }

    @Test
    void recordsBelowTheLevelAreNotWritten() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BufferedConsoleHandler handler = new BufferedConsoleHandler(out, false);
        handler.publish(record(Level.FINE, "debug detail"));
        handler.flush();
        assertThat(out.size()).isZero();
    }
}
