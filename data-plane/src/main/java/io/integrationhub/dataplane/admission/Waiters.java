package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.ProviderConfig.Priority;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Calls of this instance waiting for a provider's limiter to free a slot instead of answering 429
 * ({@code config.maxQueueMs}). Per provider, the waiters form one line ordered by class (critical,
 * default, batch), then arrival; only its head asks admission, so a slot that frees goes to the
 * highest class waiting here. A call waits only while the limiter's named instant fits what it may
 * wait; otherwise it is refused at once. Waiting holds no connection to the provider. At most
 * {@code maxWaiters} calls wait on the instance: beyond, {@link Decision.QueueFull}.
 *
 * <p>The limit itself stays the shared limiter's: a waiter admitted here is admitted there, so the
 * rolling-second limit holds across instances; the order holds among one instance's waiters.
 */
public final class Waiters {
    private final int maxWaiters;
    /** What "fits" and "runs out" are measured on: the clock the attempt loop reads (tests pass their own). */
    private final Clock clock;

    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong arrivals = new AtomicLong();
    private final Map<String, Line> lines = new ConcurrentHashMap<>();

    public Waiters(int maxWaiters) {
        this(maxWaiters, Clock.systemUTC());
    }

    public Waiters(int maxWaiters, Clock clock) {
        this.maxWaiters = maxWaiters;
        this.clock = clock;
    }

    /** As {@link #admit(String, Priority, Duration, Supplier, Consumer)}, the time in line not reported. */
    public Decision admit(String providerId, Priority priority, Duration maxWait, Supplier<Decision> ask) {
        return admit(providerId, priority, maxWait, ask, waited -> {});
    }

    /**
     * Admission of a first attempt that may wait up to {@code maxWait} for a slot: asks at once when no
     * one here waits for the provider, else joins the line; returns what the last ask answered (or
     * {@link Decision.QueueFull}). {@code waited} hears how long the call stood in line, if it did.
     */
    public Decision admit(
            String providerId, Priority priority, Duration maxWait, Supplier<Decision> ask, Consumer<Duration> waited) {
        long until = clock.millis() + maxWait.toMillis();
        Line line = lines.computeIfAbsent(providerId, id -> new Line());
        Decision first = null;
        if (line.isEmpty()) {
            first = ask.get();
            if (!fits(first, until)) {
                return first;
            }
        }
        if (waiting.incrementAndGet() > maxWaiters) {
            waiting.decrementAndGet();
            return new Decision.QueueFull();
        }
        long joined = clock.millis();
        try {
            return line.await(new Ticket(priority.ordinal(), arrivals.incrementAndGet()), until, ask, first);
        } finally {
            waiting.decrementAndGet();
            waited.accept(Duration.ofMillis(clock.millis() - joined));
        }
    }

    /** How many calls wait for the provider on this instance now. */
    public int waiting(String providerId) {
        Line line = lines.get(providerId);
        return line == null ? 0 : line.size();
    }

    /** Whether a refusal is one to wait out: the limiter's, with its slot freeing before {@code until}. */
    private boolean fits(Decision decision, long until) {
        return decision instanceof Decision.RateLimited limited
                && clock.millis() + limited.retryAfter().toMillis() <= until;
    }

    private record Ticket(int rank, long arrival) {}

    /** One provider's waiters on this instance. */
    private final class Line {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final PriorityQueue<Ticket> tickets =
                new PriorityQueue<>(Comparator.comparingInt(Ticket::rank).thenComparingLong(Ticket::arrival));
        /** What the limiter last said (for a waiter that runs out of time while not at the head). */
        private Decision lastRefusal = new Decision.RateLimited(Duration.ofSeconds(1));

        boolean isEmpty() {
            return size() == 0;
        }

        int size() {
            lock.lock();
            try {
                return tickets.size();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Stands in line until admitted or out of time. {@code refused}: what the limiter just told this
         * call before it joined (null if it joined behind others), so its first turn at the head waits
         * for the named slot instead of asking again at once.
         */
        Decision await(Ticket ticket, long until, Supplier<Decision> ask, Decision refused) {
            lock.lock();
            try {
                tickets.add(ticket);
                changed.signalAll(); // a higher class now heads the line: the old head steps back
                if (refused instanceof Decision.RateLimited limited) {
                    lastRefusal = refused;
                    pause(limited);
                }
                while (true) {
                    long left = until - clock.millis();
                    if (tickets.peek() != ticket) {
                        if (left <= 0) {
                            return lastRefusal;
                        }
                        // Woken when the head changes; the real wait is at most what the clock says is left.
                        changed.await(left, TimeUnit.MILLISECONDS);
                        continue;
                    }
                    Decision decision;
                    lock.unlock(); // the ask may be a Valkey round trip: others may join meanwhile
                    try {
                        decision = ask.get();
                    } finally {
                        lock.lock();
                    }
                    if (!(decision instanceof Decision.RateLimited limited)) {
                        return decision;
                    }
                    lastRefusal = decision;
                    if (!fits(decision, until)) {
                        return decision;
                    }
                    pause(limited);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutting down: the call is refused as the limiter last said
                return lastRefusal;
            } finally {
                tickets.remove(ticket);
                changed.signalAll();
                lock.unlock();
            }
        }

        /** Until the limiter's named slot frees, or sooner when the line changes (lock held). */
        private void pause(Decision.RateLimited limited) throws InterruptedException {
            changed.awaitNanos(Math.max(
                    TimeUnit.MILLISECONDS.toNanos(1), limited.retryAfter().toNanos()));
        }
    }
}
