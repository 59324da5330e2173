package io.integrationhub.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A fixed-rate (open-loop) HTTP/1.1 load generator without coordinated omission: request i is
 * DUE at {@code start + i / rate}, whatever happened to earlier requests, and its latency is
 * measured from that due time, not from when a connection became free to send it. A slow answer
 * therefore shows up in the latency of every request queued behind it, as a real client would see.
 *
 * <p>One scheduler thread only stamps due times into a queue; {@code workers} platform threads,
 * each with its own keep-alive connection (opened before the clock starts), send and read. Sockets
 * are plain blocking ones, so the generator costs a few microseconds of CPU per request.
 */
public final class OpenLoop {
    private static final long POISON = Long.MIN_VALUE;
    /** Microseconds; 60 s is far beyond any answer the harness waits for. */
    static final long HIGHEST = 60_000_000L;

    private OpenLoop() {}

    /**
     * What one timed run saw; latencies in microseconds, by answer status (-1: I/O error). {@code slow}:
     * the requests slower than the threshold given to {@link #run(HttpTarget, int, Duration, int, long)},
     * as {wall-clock due time in ms since the epoch, latency in us}, to line them up with GC logs.
     */
    public record Result(
            String target,
            int rate,
            long due,
            long completed,
            Map<Integer, Histogram> byStatus,
            double seconds,
            List<long[]> slow) {
        public Histogram status(int status) {
            return byStatus.getOrDefault(status, new Histogram(HIGHEST, 3));
        }

        public long count(int status) {
            return status(status).getTotalCount();
        }

        public long unexpected(int expected) {
            return byStatus.entrySet().stream()
                    .filter(e -> e.getKey() != expected)
                    .mapToLong(e -> e.getValue().getTotalCount())
                    .sum();
        }

        public String statusSummary() {
            StringBuilder s = new StringBuilder();
            byStatus.forEach((k, v) ->
                    s.append(s.isEmpty() ? "" : " ").append(k).append('x').append(v.getTotalCount()));
            return s.toString();
        }
    }

    /**
     * Told of the run as it goes, from the generator's own threads (so it must be quick and thread-safe):
     * e.g. to cut a long run into intervals ({@code bench/run.sh --hold}).
     */
    public interface Listener {
        /** The clock started: request 0 is due at {@code startNanos} ({@link System#nanoTime()}). */
        default void started(long startNanos) {}

        /** One request finished: its status (-1: I/O error) and latency from its due time, in microseconds. */
        void answered(int status, long micros);
    }

    private static final Listener NOBODY = (status, micros) -> {};

    public static Result run(HttpTarget target, int rate, Duration duration, int workers) throws InterruptedException {
        return run(target, rate, duration, workers, Long.MAX_VALUE, NOBODY);
    }

    public static Result run(HttpTarget target, int rate, Duration duration, int workers, long slowMicros)
            throws InterruptedException {
        return run(target, rate, duration, workers, slowMicros, NOBODY);
    }

    public static Result run(
            HttpTarget target, int rate, Duration duration, int workers, long slowMicros, Listener listener)
            throws InterruptedException {
        byte[] request = target.wire();
        List<long[]> slow = java.util.Collections.synchronizedList(new ArrayList<>());
        long epochOffsetMillis = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
        long total = Math.max(1, (long) rate * duration.toMillis() / 1000);
        long period = 1_000_000_000L / rate;
        BlockingQueue<Long> due = new LinkedBlockingQueue<>();
        List<Worker> pool = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            Worker w = new Worker(target, request, due, connected, slowMicros, slow, epochOffsetMillis, listener);
            pool.add(w);
            w.thread.start();
        }
        if (!connected.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(target.name() + ": could not open " + workers + " connections");
        }
        long start = System.nanoTime() + 5_000_000L;
        listener.started(start);
        for (long i = 0; i < total; i++) {
            long at = start + i * period;
            long now;
            while ((now = System.nanoTime()) < at) {
                LockSupport.parkNanos(at - now);
            }
            due.add(at);
        }
        for (int i = 0; i < workers; i++) {
            due.add(POISON);
        }
        // Bounded: a request still unanswered 15 s after the last due time is counted as not completed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Worker w : pool) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                w.thread.join(Duration.ofNanos(left));
            }
            if (w.thread.isAlive()) {
                w.abort();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Integer, Histogram> byStatus = new TreeMap<>();
        long completed = 0;
        for (Worker w : pool) {
            for (Map.Entry<Integer, Histogram> e : w.byStatus.entrySet()) {
                byStatus.computeIfAbsent(e.getKey(), k -> new Histogram(HIGHEST, 3))
                        .add(e.getValue());
                completed += e.getKey() > 0 ? e.getValue().getTotalCount() : 0;
            }
        }
        return new Result(target.name(), rate, total, completed, byStatus, seconds, slow);
    }

    private static final class Worker {
        final Thread thread;
        final Map<Integer, Histogram> byStatus = new TreeMap<>();
        private final HttpTarget target;
        private final byte[] request;
        private final BlockingQueue<Long> due;
        private final CountDownLatch connected;
        private volatile Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] line = new byte[8192];
        private final long slowMicros;
        private final List<long[]> slow;
        private final long epochOffsetMillis;
        private final Listener listener;

        Worker(
                HttpTarget target,
                byte[] request,
                BlockingQueue<Long> due,
                CountDownLatch connected,
                long slowMicros,
                List<long[]> slow,
                long epochOffsetMillis,
                Listener listener) {
            this.listener = listener;
            this.slowMicros = slowMicros;
            this.slow = slow;
            this.epochOffsetMillis = epochOffsetMillis;
            this.target = target;
            this.request = request;
            this.due = due;
            this.connected = connected;
            this.thread = Thread.ofPlatform()
                    .daemon()
                    .name("openloop-" + target.name())
                    .unstarted(this::loop);
        }

        void abort() {
            try {
                Socket s = socket;
                if (s != null) {
                    s.close();
                }
            } catch (IOException ignored) {
                // closing
            }
            thread.interrupt();
        }

        private void loop() {
            try {
                connect();
            } catch (IOException e) {
                // counted as errors below, one per request
            } finally {
                connected.countDown();
            }
            try {
                while (true) {
                    long at = due.take();
                    if (at == POISON) {
                        break;
                    }
                    int status;
                    try {
                        if (socket == null) {
                            connect();
                        }
                        out.write(request);
                        out.flush();
                        status = readResponse();
                    } catch (IOException e) {
                        status = -1;
                        close();
                    }
                    long micros = (System.nanoTime() - at) / 1000;
                    if (micros > slowMicros) {
                        slow.add(new long[] {epochOffsetMillis + at / 1_000_000, micros});
                    }
                    byStatus.computeIfAbsent(status, k -> new Histogram(HIGHEST, 3))
                            .recordValue(Math.min(micros, HIGHEST));
                    listener.answered(status, Math.min(micros, HIGHEST));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        private void connect() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(target.host(), target.port()), 5_000);
            in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            out = s.getOutputStream();
            socket = s;
        }

        private void close() {
            Socket s = socket;
            socket = null;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        /** Reads one whole response (Content-Length or chunked) and returns its status. */
        private int readResponse() throws IOException {
            int n = readLine();
            if (n < 12) {
                throw new IOException("bad status line");
            }
            int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            while ((n = readLine()) > 0) {
                if (startsWith("content-length:", n)) {
                    length = Long.parseLong(value(n, 15));
                } else if (startsWith("transfer-encoding:", n)) {
                    chunked = value(n, 18).equalsIgnoreCase("chunked");
                } else if (startsWith("connection:", n)) {
                    close = value(n, 11).equalsIgnoreCase("close");
                }
            }
            if (chunked) {
                while (true) {
                    int m = readLine();
                    long size = Long.parseLong(
                            new String(line, 0, m, java.nio.charset.StandardCharsets.US_ASCII).split(";")[0].trim(),
                            16);
                    if (size == 0) {
                        while (readLine() > 0) {
                            // trailers
                        }
                        break;
                    }
                    skip(size);
                    readLine();
                }
            } else if (length > 0) {
                skip(length);
            } else if (length < 0
                    && status != 204
                    && status != 304
                    && !target.method().equals("HEAD")) {
                close = true; // body until EOF: not expected from any target here
            }
            if (close) {
                close();
            }
            return status;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long s = in.skip(n);
                if (s <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException();
                    }
                    s = 1;
                }
                n -= s;
            }
        }

        /** One header line without CRLF into {@link #line}; its length. */
        private int readLine() throws IOException {
            int n = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException();
                }
                if (b == '\n') {
                    return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                }
                if (n < line.length) {
                    line[n++] = (byte) b;
                }
            }
        }

        private boolean startsWith(String lowerPrefix, int n) {
            if (n < lowerPrefix.length()) {
                return false;
            }
            for (int i = 0; i < lowerPrefix.length(); i++) {
                if (Character.toLowerCase((char) line[i]) != lowerPrefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private String value(int n, int from) {
            return new String(line, from, n - from, java.nio.charset.StandardCharsets.US_ASCII).trim();
        }
    }
}
