package io.integrationhub.dataplane.body;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes this instance may hold in memory for bodies and answers in flight
 * ({@code INTEGRATION_MEMORY_BUDGET_BYTES}). A call reserves what it needs before it reads anything;
 * when the budget is spent, new work waits briefly and is then refused (503 {@code overloaded}),
 * so the heap is bounded by configuration, never by what callers or providers send.
 */
public final class MemoryBudget {
    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private long used;

    public MemoryBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** A reservation of bytes, given back exactly once by {@link #close()}. */
    public final class Reservation implements AutoCloseable {
        private long bytes;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        /** Takes {@code more} bytes into this reservation if the budget has them now; never waits. */
        public boolean tryGrow(long more) {
            if (!tryTake(more)) {
                return false;
            }
            bytes += more;
            return true;
        }

        @Override
        public void close() {
            long giveBack = bytes;
            bytes = 0;
            if (giveBack > 0) {
                give(giveBack);
            }
        }
    }

    /** Reserves {@code bytes}, waiting at most {@code wait} for others to give some back; null when still short. */
    public Reservation reserve(long bytes, Duration wait) throws InterruptedException {
        if (bytes > capacity) {
            return null;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (used + bytes > capacity) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                released.awaitNanos(left);
            }
            used += bytes;
            return new Reservation(bytes);
        } finally {
            lock.unlock();
        }
    }

    /** Reserves {@code bytes} only if they are free now. */
    public Reservation tryReserve(long bytes) {
        return tryTake(bytes) ? new Reservation(bytes) : null;
    }

    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    public long capacity() {
        return capacity;
    }

    private boolean tryTake(long bytes) {
        lock.lock();
        try {
            if (used + bytes > capacity) {
                return false;
            }
            used += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void give(long bytes) {
        lock.lock();
        try {
            used -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
