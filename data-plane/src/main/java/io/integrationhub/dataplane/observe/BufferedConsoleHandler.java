package io.integrationhub.dataplane.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * The console (stderr) handler of logging.properties, in place of {@code java.util.logging.ConsoleHandler}.
 *
 * <p>Why not ConsoleHandler: it formats, encodes and flushes every line inside one lock, so each call's
 * access line cost a write(2) on the calling (virtual) thread, under a lock all calls share, with the
 * carrier compensated while it blocked: about 6% of the hub's CPU under load in the profile of issue 19.
 *
 * <p>What this does instead, keeping lines whole and in order: a line is formatted and encoded on the
 * caller's thread outside any lock, then appended whole to a memory buffer (a copy under a short lock, no
 * I/O). A daemon platform thread writes the buffer to stderr every {@value #INTERVAL_MS} ms in one write,
 * so many lines share one system call and no request thread ever waits for the console. A record of level
 * WARNING or above is written before {@link #publish} returns, together with every line before it, so a
 * warning or an error is on stderr at once and in order. The buffer is bounded: past
 * {@value #MAX_PENDING_BYTES} bytes pending, the publishing thread writes them itself (back-pressure, as
 * ConsoleHandler had, never a dropped line).
 *
 * <p>What a crash can lose: a normal exit writes everything (the
 * LogManager closes its handlers at shutdown, and {@link #close} drains); a kill -9 or an OOM kill loses
 * at most the INFO lines of the last {@value #INTERVAL_MS} ms, never more than {@value #MAX_PENDING_BYTES}
 * bytes, and never a WARNING or SEVERE line.
 */
public final class BufferedConsoleHandler extends Handler {
    static final long INTERVAL_MS = 50;
    static final int MAX_PENDING_BYTES = 256 * 1024;

    private final OutputStream out;
    /** Guards {@link #pending}: held only to copy a line in or to swap the buffers, never across I/O. */
    private final ReentrantLock buffer = new ReentrantLock();
    /** Held across a write to {@link #out}, so batches reach it whole and in the order they were taken. */
    private final ReentrantLock writing = new ReentrantLock();

    private Bytes pending = new Bytes(8 * 1024);
    private Bytes spare = new Bytes(8 * 1024);
    private volatile boolean closed;

    /** As logging.properties creates it: lines to stderr, written by a daemon thread. */
    public BufferedConsoleHandler() {
        this(System.err, true);
        configure(LogManager.getLogManager(), getClass().getName());
    }

    /**
     * Lines to {@code out}; with {@code writer} false nothing writes pending INFO lines but {@link #flush}
     * (tests drive it so, instead of waiting for the thread).
     */
    BufferedConsoleHandler(OutputStream out, boolean writer) {
        this.out = out;
        setLevel(Level.INFO);
        setFormatter(new JsonLogFormatter());
        if (writer) {
            Thread.ofPlatform().daemon().name("console-log-writer").start(this::writeEvery);
        }
    }

    private void configure(LogManager manager, String prefix) {
        String level = manager.getProperty(prefix + ".level");
        if (level != null) {
            setLevel(Level.parse(level.trim()));
        }
        String formatter = manager.getProperty(prefix + ".formatter");
        if (formatter != null && !formatter.isBlank()) {
            try {
                setFormatter((java.util.logging.Formatter) ClassLoader.getSystemClassLoader()
                        .loadClass(formatter.trim())
                        .getDeclaredConstructor()
                        .newInstance());
            } catch (ReflectiveOperationException | RuntimeException e) {
                reportError("formatter " + formatter + " not usable; JSON lines instead", e, ErrorManager.OPEN_FAILURE);
            }
        }
    }

    @Override
    public void publish(LogRecord record) {
        if (closed || !isLoggable(record)) {
            return;
        }
        byte[] line;
        try {
            line = getFormatter().format(record).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            reportError(null, e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        boolean writeNow;
        buffer.lock();
        try {
            pending.append(line);
            writeNow = pending.size >= MAX_PENDING_BYTES;
        } finally {
            buffer.unlock();
        }
        if (writeNow || record.getLevel().intValue() >= Level.WARNING.intValue()) {
            flush();
        }
    }

    /** Writes every pending line now, in one write. */
    @Override
    public void flush() {
        writing.lock();
        try {
            Bytes batch;
            buffer.lock();
            try {
                if (pending.size == 0) {
                    return;
                }
                batch = pending;
                pending = spare;
                spare = batch;
            } finally {
                buffer.unlock();
            }
            try {
                out.write(batch.bytes, 0, batch.size);
                out.flush();
            } catch (IOException | RuntimeException e) {
                reportError(null, e instanceof Exception x ? x : null, ErrorManager.WRITE_FAILURE);
            } finally {
                batch.clear();
            }
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        flush();
    }

    private void writeEvery() {
        while (!closed) {
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            flush();
        }
    }

    /** A growable byte buffer without ByteArrayOutputStream's per-call synchronization. */
    private static final class Bytes {
        byte[] bytes;
        int size;

        Bytes(int capacity) {
            bytes = new byte[capacity];
        }

        void append(byte[] line) {
            if (size + line.length > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + line.length));
            }
            System.arraycopy(line, 0, bytes, size, line.length);
            size += line.length;
        }

        /** Empties the buffer, giving back memory a burst grew it to beyond 64 KiB. */
        void clear() {
            size = 0;
            if (bytes.length > 64 * 1024) {
                bytes = new byte[8 * 1024];
            }
        }
    }
}
