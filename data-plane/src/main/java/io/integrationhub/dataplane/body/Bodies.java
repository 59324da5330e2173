package io.integrationhub.dataplane.body;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * This instance's bounds on bodies: the memory budget, the spill directory, how much of one body
 * stays in memory, and the largest body a caller may send. {@link #open()} starts one call's share.
 */
public final class Bodies {
    /** What a call reserves before it reads a byte: its copy buffers towards provider and caller. */
    public static final int CALL_BASE_BYTES = 64 * 1024;

    private static final Duration WAIT = Duration.ofMillis(250);

    private final MemoryBudget budget;
    private final SealedSpillFile.Spills spills;
    private final long bodyMemoryBytes;
    private final long maxBodyBytes;

    public Bodies(MemoryBudget budget, SealedSpillFile.Spills spills, long bodyMemoryBytes, long maxBodyBytes) {
        this.budget = budget;
        this.spills = spills;
        this.bodyMemoryBytes = bodyMemoryBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    public MemoryBudget budget() {
        return budget;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public SealedSpillFile.Spills spills() {
        return spills;
    }

    /** One call's memory and buffers; null when the budget stays spent for a short wait (answer 503 overloaded). */
    public Scope open() throws InterruptedException {
        MemoryBudget.Reservation reservation = budget.reserve(CALL_BASE_BYTES, WAIT);
        return reservation == null ? null : new Scope(reservation);
    }

    /** One call's share: everything it buffers is released and deleted by {@link #close()}. */
    public final class Scope implements AutoCloseable {
        private final MemoryBudget.Reservation memory;
        private final List<AutoCloseable> owned = new ArrayList<>();

        private Scope(MemoryBudget.Reservation memory) {
            this.memory = memory;
        }

        public MemoryBudget.Reservation memory() {
            return memory;
        }

        public long maxBodyBytes() {
            return maxBodyBytes;
        }

        /** A new buffer for a body of this call, at most {@code INTEGRATION_BODY_MEMORY_BYTES} of it in memory. */
        public BodyBuffer newBuffer() {
            BodyBuffer buffer = new BodyBuffer(memory, bodyMemoryBytes, spills);
            owned.add(buffer);
            return buffer;
        }

        /** Ties {@code resource} to this call: closed with it. */
        public <T extends AutoCloseable> T own(T resource) {
            owned.add(resource);
            return resource;
        }

        @Override
        public void close() {
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception ignored) {
                    // keep releasing the rest
                }
            }
            owned.clear();
            memory.close();
        }
    }
}
