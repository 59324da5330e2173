package io.integrationhub.dataplane.background;

import io.integrationhub.dataplane.call.Sleeper;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a piece of background work on a thread of its own and keeps it running: whatever the work
 * throws (an {@code SQLException}, a bug's {@code RuntimeException}, an {@code OutOfMemoryError}),
 * the failure is logged once, by class and place only (an exception message may quote a payload or
 * a credential), and the work is started again after a backoff (1 s doubling to 30 s, back to 1 s
 * once the work reports itself up). {@link #health()} says {@code DEGRADED} whenever the work is not
 * up, for {@code /health/ready}.
 *
 * <p>Why: a thread that dies of an unexpected {@code Throwable} leaves no trace but a stack trace on
 * stderr, and whatever it kept up to date silently goes stale (the provider change listener, killed
 * by an {@code OutOfMemoryError}, left its instance on the 60 s cache TTL for good).
 */
public final class BackgroundLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BackgroundLoop.class.getName());
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** One run of the work: returns or throws when it stops; calls {@link Control#up()} once it does its job. */
    @FunctionalInterface
    public interface Work {
        void run(Control control) throws Exception;
    }

    /** What the work sees of its loop. */
    public interface Control {
        /** The work is doing its job (connected, listening...): readiness is UP and the backoff starts over. */
        void up();

        /** False once the loop is closing: the work should return. */
        boolean running();
    }

    private final String name;
    private final Work work;
    private final Sleeper sleeper;
    private final Thread thread;
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean running = true;
    private volatile boolean up;

    private BackgroundLoop(String name, Work work, Sleeper sleeper) {
        this.name = name;
        this.work = work;
        this.sleeper = sleeper;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    }

    /** Starts {@code work} on a daemon thread named {@code name}. */
    public static BackgroundLoop start(String name, Work work) {
        return start(name, work, Sleeper.REAL);
    }

    /** As {@link #start(String, Work)}; tests pass a {@link Sleeper} that does not wait. */
    public static BackgroundLoop start(String name, Work work, Sleeper sleeper) {
        BackgroundLoop loop = new BackgroundLoop(name, work, sleeper);
        loop.thread.start();
        return loop;
    }

    private void loop() {
        Control control = new Control() {
            @Override
            public void up() {
                up = true;
            }

            @Override
            public boolean running() {
                return running;
            }
        };
        Duration delay = FIRST_BACKOFF;
        while (running) {
            Throwable failure = null;
            try {
                work.run(control);
            } catch (Throwable t) {
                failure = t;
            }
            boolean wasUp = up;
            up = false;
            if (!running) {
                return;
            }
            if (wasUp) {
                delay = FIRST_BACKOFF;
            }
            report(failure, delay);
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // only close() interrupts this thread
            }
            delay = min(delay.multipliedBy(2), MAX_BACKOFF);
            restarts.incrementAndGet();
        }
    }

    private void report(Throwable failure, Duration backoff) {
        try {
            if (failure == null) {
                LOG.warning(name + " stopped by itself; restarting in " + backoff.toSeconds() + " s");
            } else {
                LOG.log(
                        failure instanceof Exception ? Level.WARNING : Level.SEVERE,
                        name + " failed (" + describe(failure) + "); restarting in " + backoff.toSeconds() + " s");
            }
        } catch (Throwable loggingFailed) {
            // Out of memory even for the log line: restarting matters more than saying so.
        }
    }

    /** The failure's class, SQL state and the frame it came from: never its message. */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.getClass().getName());
        if (failure instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
            text.append(", SQLState ").append(sql.getSQLState());
        }
        StackTraceElement[] frames = failure.getStackTrace();
        if (frames.length > 0) {
            text.append(" at ").append(frames[0]);
        }
        return text.toString();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** {@code UP} while the work reports itself up, {@code DEGRADED} while it is failing or restarting. */
    public String health() {
        return up ? "UP" : "DEGRADED";
    }

    /** How many times the work was started again after it stopped. */
    public int restarts() {
        return restarts.get();
    }

    /** Stops the loop: {@link Control#running()} turns false and the thread is interrupted. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
