package io.integrationhub.registry.idempotency;

import io.integrationhub.registry.db.DatabaseFailures;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for small writes that many concurrent calls make: whatever arrives while the batches
 * being written (at most {@code maxWriting} at once) commit waits, and all of it goes in the next batch,
 * as one statement and one commit instead of one each. There is no timer: a caller that finds fewer
 * batches running writes at once (a batch of one), so an idle hub adds no delay, and a busy one batches
 * exactly as much as its commits take time.
 *
 * <p>No thread of its own: a caller writes a batch (taking the head of the queue), and when it ends
 * passes the turn to a caller still waiting (leader hand-off), so there is nothing to start or stop. Each caller gets its own result, or its own exception when its batch failed: the
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
     * One caller's write. Its caller waits for its outcome, or for its turn to write a batch (then it
     * writes the batch at the head of the queue, which need not hold its own item: a batch written
     * meanwhile may have taken it), and after its batch for its outcome.
     */
    private static final class Pending<T, R> {
        final T item;
        final CompletableFuture<Outcome<R>> done = new CompletableFuture<>();
        final CompletableFuture<Void> turn = new CompletableFuture<>();
        /** Given a turn (guarded by the lock): a writer ending looks for a waiting caller without one. */
        boolean hasTurn;

        Pending(T item) {
            this.item = item;
        }

        void answer(Outcome<R> answer) {
            done.complete(answer);
        }
    }

    private final Writer<T, R> writer;
    private final int maxBatch;
    private final int maxWriting;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending<T, R>> queue = new ArrayDeque<>();
    /** Batches being written, or callers given a turn to write one: at most maxWriting. */
    private int writing;

    private long batches;
    private long items;
    private int largestBatch;

    /**
     * @param maxWriting batches written at once: with one, a caller arriving while a batch commits waits for
     *     that commit and then its own; with two, it starts its own at once (the database flushes concurrent
     *     commits together), so a busy caller waits about one commit instead of one and a half
     */
    GroupCommit(Writer<T, R> writer, int maxBatch, int maxWriting) {
        if (maxBatch < 1 || maxWriting < 1) {
            throw new IllegalArgumentException(
                    "maxBatch and maxWriting must be >= 1, but were " + maxBatch + ", " + maxWriting);
        }
        this.writer = writer;
        this.maxBatch = maxBatch;
        this.maxWriting = maxWriting;
    }

    /**
     * Writes {@code item} in the next batch and returns what it found there, once that batch is committed.
     *
     * @throws BatchFailedException when the batch failed
     */
    R submit(T item) {
        Pending<T, R> mine = new Pending<>(item);
        lock.lock();
        try {
            queue.add(mine);
            // Fewer than maxWriting batches are being written: this caller writes one now (from the head of the
            // queue: its own item, unless a batch starting at the same moment took it).
            if (writing < maxWriting) {
                writing++;
                mine.hasTurn = true;
                mine.turn.complete(null);
            }
        } finally {
            lock.unlock();
        }
        CompletableFuture.anyOf(mine.done, mine.turn).join();
        if (mine.turn.isDone()) {
            writeNextBatch();
        }
        Outcome<R> outcome = mine.done.join();
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
            if (!batch.isEmpty()) { // empty: another batch took the queue first
                batches++;
            }
            items += batch.size();
            largestBatch = Math.max(largestBatch, batch.size());
        } finally {
            lock.unlock();
        }
        try {
            if (!batch.isEmpty()) {
                write(batch);
            }
        } finally {
            for (Pending<T, R> p : batch) {
                if (!p.done.isDone()) { // the writer threw an Error: still an answer for everyone
                    p.answer(new Outcome<>(
                            null,
                            new BatchFailedException(
                                    batch.size(),
                                    new IllegalStateException("a batched write ended without an answer"))));
                }
            }
            // The turn passes to the first caller still waiting without one; when every waiting caller has one
            // (their batches will take the queue), or none waits, one batch fewer is being written. So a caller
            // without a turn waits only while maxWriting batches are being written, and always behind a writer.
            Pending<T, R> next = null;
            lock.lock();
            try {
                for (Pending<T, R> p : queue) {
                    if (!p.hasTurn) {
                        next = p;
                        next.hasTurn = true;
                        break;
                    }
                }
                if (next == null) {
                    writing--;
                }
            } finally {
                lock.unlock();
            }
            if (next != null) {
                next.turn.complete(null);
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
