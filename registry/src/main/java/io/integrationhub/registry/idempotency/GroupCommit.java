package io.integrationhub.registry.idempotency;

import io.integrationhub.registry.db.DatabaseFailures;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for small writes that many concurrent calls make: whatever arrives while one batch is
 * being written waits, and all of it goes in the next batch, as one statement and one commit instead of
 * one each. There is no timer: a caller that finds no batch running writes at once (a batch of one), so
 * an idle hub adds no delay, and a busy one batches exactly as much as its commits take time.
 *
 * <p>No thread of its own: the caller that finds no batch running writes one, and when it ends hands
 * the next batch to the caller at the head of the queue (leader hand-off), so there is nothing to
 * start or stop. Each caller gets its own result, or its own exception when its batch failed: the
 * writer ends every batch, in a {@code finally}, with an answer for each caller in it, never a hang.
 * When a batch of several fails on something other than an unreachable database (a row the database
 * refuses, a deadlock), its items are written again one by one, so one bad row fails only its own caller.
 *
 * @param <T> one caller's write
 * @param <R> what the write found for that caller
 */
final class GroupCommit<T, R> {
    /** Writes a batch in one transaction and returns one result per item, in the items' order. */
    @FunctionalInterface
    interface Writer<T, R> {
        List<R> write(List<T> items);
    }

    /** A caller's write failed with its batch; the database's exception is the cause. */
    static final class BatchFailedException extends RuntimeException {
        BatchFailedException(int batchSize, RuntimeException cause) {
            super("a batched write (" + batchSize + " in its batch) failed: " + cause.getMessage(), cause);
        }
    }

    private record Outcome<R>(R value, RuntimeException failure) {}

    /**
     * One caller's write. Its caller is woken once: with its outcome set, or without it, which means its
     * turn to write the next batch (it is at the head of the queue).
     */
    private static final class Pending<T, R> {
        final T item;
        final CompletableFuture<Void> wake = new CompletableFuture<>();
        /** Set, once, by the caller that writes its batch, before it wakes this one. */
        volatile Outcome<R> outcome;

        Pending(T item) {
            this.item = item;
        }

        void answer(Outcome<R> answer) {
            if (outcome == null) {
                outcome = answer;
                wake.complete(null);
            }
        }
    }

    private final Writer<T, R> writer;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending<T, R>> queue = new ArrayDeque<>();
    /** True while a batch is being written: callers arriving now wait for the next one. */
    private boolean writing;

    private long batches;
    private long items;
    private int largestBatch;

    GroupCommit(Writer<T, R> writer, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, but was " + maxBatch);
        }
        this.writer = writer;
        this.maxBatch = maxBatch;
    }

    /**
     * Writes {@code item} in the next batch and returns what it found there, once that batch is committed.
     *
     * @throws BatchFailedException when the batch failed
     */
    R submit(T item) {
        Pending<T, R> mine = new Pending<>(item);
        boolean lead;
        lock.lock();
        try {
            queue.add(mine);
            lead = !writing; // no batch running: the queue was empty, this caller writes one now
            writing = true;
        } finally {
            lock.unlock();
        }
        if (!lead) {
            mine.wake.join();
        }
        if (mine.outcome == null) {
            writeNextBatch(); // this caller's turn: it is at the head of the queue, so its item is in the batch
        }
        Outcome<R> outcome = mine.outcome;
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.value();
    }

    private void writeNextBatch() {
        List<Pending<T, R>> batch = new ArrayList<>();
        lock.lock();
        try {
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
            batches++;
            items += batch.size();
            largestBatch = Math.max(largestBatch, batch.size());
        } finally {
            lock.unlock();
        }
        try {
            write(batch);
        } finally {
            for (Pending<T, R> p : batch) {
                if (p.outcome == null) { // the writer threw an Error: still an answer for everyone
                    p.answer(new Outcome<>(
                            null,
                            new BatchFailedException(
                                    batch.size(),
                                    new IllegalStateException("a batched write ended without an answer"))));
                }
            }
            Pending<T, R> next;
            lock.lock();
            try {
                next = queue.peek();
                writing = next != null;
            } finally {
                lock.unlock();
            }
            if (next != null) {
                next.wake.complete(null); // its turn: its outcome is not set
            }
        }
    }

    /**
     * The writer is all or nothing (one transaction): a batch that failed wrote nothing, so its items
     * may be written again, alone. Not after an unreachable database, whose commit may have happened.
     */
    private void write(List<Pending<T, R>> batch) {
        List<R> results;
        try {
            results = writer.write(batch.stream().map(p -> p.item).toList());
        } catch (RuntimeException e) {
            if (batch.size() == 1 || DatabaseFailures.isUnreachable(e)) {
                batch.forEach(p -> p.answer(new Outcome<>(null, new BatchFailedException(batch.size(), e))));
                return;
            }
            for (Pending<T, R> p : batch) {
                try {
                    answer(List.of(p), writer.write(List.of(p.item)));
                } catch (RuntimeException alone) {
                    p.answer(new Outcome<>(null, new BatchFailedException(1, alone)));
                }
            }
            return;
        }
        answer(batch, results);
    }

    private void answer(List<Pending<T, R>> batch, List<R> results) {
        if (results.size() != batch.size()) {
            throw new IllegalStateException(
                    "a batch of " + batch.size() + " writes had " + results.size() + " results");
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer(new Outcome<>(results.get(i), null));
        }
    }

    /** Batches written so far, the items in them and the largest: for tests and diagnostics. */
    record Stats(long batches, long items, int largestBatch, int waiting) {}

    Stats stats() {
        lock.lock();
        try {
            return new Stats(batches, items, largestBatch, queue.size());
        } finally {
            lock.unlock();
        }
    }
}
