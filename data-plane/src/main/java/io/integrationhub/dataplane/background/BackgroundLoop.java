package io.integrationhub.dataplane.background;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way the hub runs periodic or long-lived work on a thread of its own: the relays, the
 * retry queues' workers and supervisor, the sweepers and purgers, the Valkey prober, the provider
 * change listener and the call record spool's drainer all run on one.
 *
 * <pre>{@code
 * BackgroundLoop relay = BackgroundLoop.named("dlq-retry-relay").every(pollInterval).run(this::relayOnce);
 * relay.wake(); // run now rather than at the next tick
 * relay.closeAndWait(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Whatever the work throws (an {@code SQLException}, a bug's {@code RuntimeException}, an {@code
 * OutOfMemoryError}) it is run again after a backoff that doubles from {@link #FIRST_BACKOFF} up to a
 * cap and starts over after a success. An outage is logged once, when it starts, by the failure's
 * class and place only (a message may quote a payload or a credential), and once more when the work
 * succeeds again: a database down for an hour is two log lines, not seven hundred.
 *
 * <p>Three shapes of work: a {@link Step} run every period ({@link Builder#run}); a {@link PacedStep}
 * that says itself when it is due again ({@link Builder#runPaced}: zero when more work waits); and a
 * {@link Session} that runs as long as it can and reports itself {@link Control#up() up} once it
 * does its job (a listener, a connection), started again whenever it ends ({@link Builder#runSessions}).
 *
 * <p>Why: nine classes each had a sleep, backoff and interrupt loop with its own policy, and a thread
 * that died of an unexpected {@code Throwable} left no trace but a stack trace on stderr while what
 * it kept up to date silently went stale (the provider change listener, killed by an {@code
 * OutOfMemoryError}, left its instance on the 60 s cache TTL for good).
 */
public final class BackgroundLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BackgroundLoop.class.getName());
    public static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** One round of periodic work; throws when it failed. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** One round that says when the next is due: {@link Duration#ZERO} at once (more work waits). */
    @FunctionalInterface
    public interface PacedStep {
        Duration run() throws Exception;
    }

    /** Long-lived work: returns or throws when it stops; calls {@link Control#up()} once it does its job. */
    @FunctionalInterface
    public interface Session {
        void run(Control control) throws Exception;
    }

    /** What a session sees of its loop. */
    public interface Control {
        /** The work is doing its job (connected, listening...): readiness is UP and the backoff starts over. */
        void up();

        /** False once the loop is closing: the work should return. */
        boolean running();
    }

    /** How the loop waits; tests pass one that records the pauses and returns at once (see {@link #sleeping}). */
    @FunctionalInterface
    public interface Pauser {
        /**
         * Waits {@code duration}, or less once {@code wake} has a permit (which it takes); {@code wake}
         * is null for a failure's backoff, which a wake-up does not cut short.
         */
        void pause(Duration duration, Semaphore wake) throws InterruptedException;

        Pauser REAL = (duration, wake) -> {
            if (wake == null) {
                Thread.sleep(duration);
            } else {
                wake.tryAcquire(duration.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
    }

    /** A pauser that sleeps with {@code sleeper} unless a wake-up is already waiting: tests record pauses with it. */
    public static Pauser sleeping(io.integrationhub.dataplane.call.Sleeper sleeper) {
        return (duration, wake) -> {
            if (wake == null || !wake.tryAcquire()) {
                sleeper.sleep(duration);
            }
        };
    }

    /** Starts describing a loop whose thread (and log lines) carry {@code name}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** How a loop runs; {@code run*} starts it. */
    public static final class Builder {
        private final String name;
        private Duration every = Duration.ofSeconds(1);
        private Duration firstAfter = Duration.ZERO;
        private Duration firstBackoff = FIRST_BACKOFF;
        private Duration maxBackoff = MAX_BACKOFF;
        private Pauser pauser = Pauser.REAL;
        private String whileFailing = "";

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        /** The period of a {@link Step}: how long after one round ends the next starts (unless woken). */
        public Builder every(Duration period) {
            this.every = period;
            return this;
        }

        /** How long after start the first round runs (default at once; {@link #wake()} cuts it short). */
        public Builder firstAfter(Duration delay) {
            this.firstAfter = delay;
            return this;
        }

        /** The backoff after a failure: {@code first}, doubling up to {@code max} (default 1 s to 30 s). */
        public Builder backoff(Duration first, Duration max) {
            this.firstBackoff = first;
            this.maxBackoff = max;
            return this;
        }

        /** What the outage means for the operator, appended to its log line (e.g. "the requests wait in Postgres"). */
        public Builder whileFailing(String consequence) {
            this.whileFailing = "; " + consequence;
            return this;
        }

        /** Tests: pauses that do not wait (see {@link BackgroundLoop#sleeping}). */
        public Builder pauser(Pauser value) {
            this.pauser = value;
            return this;
        }

        /** Starts running {@code step} every {@link #every period}. */
        public BackgroundLoop run(Step step) {
            Duration period = every;
            return start(
                    control -> {
                        step.run();
                        control.up();
                        return period;
                    },
                    false);
        }

        /** Starts running {@code step}, each round when the one before said. */
        public BackgroundLoop runPaced(PacedStep step) {
            return start(
                    control -> {
                        Duration next = step.run();
                        control.up();
                        return next;
                    },
                    false);
        }

        /** Starts {@code session}, and again whenever it ends. */
        public BackgroundLoop runSessions(Session session) {
            return start(
                    control -> {
                        session.run(control);
                        return null;
                    },
                    true);
        }

        private BackgroundLoop start(Round round, boolean sessions) {
            BackgroundLoop loop = new BackgroundLoop(this, round, sessions);
            loop.thread.start();
            return loop;
        }
    }

    /** One run of the work: the pause before the next on success, null when a session ended. */
    @FunctionalInterface
    private interface Round {
        Duration run(Control control) throws Exception;
    }

    private final String name;
    private final Round round;
    private final boolean sessions;
    private final Duration firstAfter;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Pauser pauser;
    private final String whileFailing;
    private final Thread thread;
    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean running = true;
    private volatile boolean up;
    private volatile boolean failing;
    private Duration backoff;

    private BackgroundLoop(Builder builder, Round round, boolean sessions) {
        this.name = builder.name;
        this.round = round;
        this.sessions = sessions;
        this.firstAfter = builder.firstAfter;
        this.firstBackoff = builder.firstBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.pauser = builder.pauser;
        this.whileFailing = builder.whileFailing;
        this.backoff = firstBackoff;
        this.up = !sessions; // a step is up until it fails; a session once it says so
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    }

    private void loop() {
        Control control = new Control() {
            @Override
            public void up() {
                succeeded();
            }

            @Override
            public boolean running() {
                return running;
            }
        };
        try {
            if (firstAfter.isPositive()) {
                pauser.pause(firstAfter, wakeUp);
            }
            while (running) {
                Duration next;
                Throwable failure = null;
                try {
                    next = round.run(control);
                } catch (Throwable t) {
                    next = null;
                    failure = t;
                }
                if (!running) {
                    return;
                }
                if (next != null) {
                    if (next.isPositive()) {
                        pauser.pause(next, wakeUp);
                        wakeUp.drainPermits(); // the wake-ups so far are served by the next round
                    }
                    continue;
                }
                Duration pause = failed(failure);
                pauser.pause(pause, null);
                restarts.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // only close() interrupts this thread
        } finally {
            up = false;
        }
    }

    private void succeeded() {
        up = true;
        backoff = firstBackoff;
        if (failing) {
            failing = false;
            log(Level.INFO, name + " works again");
        }
    }

    /** Records a failure (or a session's end) and returns the backoff before the next run. */
    private Duration failed(Throwable failure) {
        up = false;
        Duration pause = backoff;
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        if (!failing) {
            failing = true;
            String then = "; trying again in " + seconds(pause) + ", then less often (logged again once it works)"
                    + whileFailing;
            if (failure == null) {
                log(Level.WARNING, name + " stopped by itself" + then);
            } else {
                log(
                        failure instanceof Exception ? Level.WARNING : Level.SEVERE,
                        name + " failed (" + describe(failure) + ")" + then);
            }
        }
        return pause;
    }

    private static void log(Level level, String line) {
        try {
            LOG.log(level, line);
        } catch (Throwable loggingFailed) {
            // Out of memory even for the log line: running again matters more than saying so.
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** The failure's class, SQL state and the frame it came from: never its message. */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.getClass().getName());
        if (failure instanceof SQLException sql && sql.getSQLState() != null) {
            text.append(", SQLState ").append(sql.getSQLState());
        }
        StackTraceElement[] frames = failure.getStackTrace();
        if (frames.length > 0) {
            text.append(" at ").append(frames[0]);
        }
        return text.toString();
    }

    /** {@code UP} while the work succeeds (a session: while it says it is up), {@code DEGRADED} otherwise. */
    public String health() {
        return up ? "UP" : "DEGRADED";
    }

    /** Whether the work is in an outage: it failed and has not succeeded since. */
    public boolean failing() {
        return failing;
    }

    /** How many times the work was run again after a failure (or a session's end). */
    public int restarts() {
        return restarts.get();
    }

    /** Runs the next round now rather than at the end of the period (not during a failure's backoff). */
    public void wake() {
        wakeUp.release();
    }

    /** Stops the loop: {@link Control#running()} turns false and the thread is interrupted. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    /** {@link #close()}, then waits up to {@code timeout} for the running round to end; false if it did not. */
    public boolean closeAndWait(Duration timeout) {
        close();
        if (Thread.currentThread() == thread) {
            return true;
        }
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
