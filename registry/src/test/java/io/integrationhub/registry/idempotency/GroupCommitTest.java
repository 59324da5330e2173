package io.integrationhub.registry.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit without a database: what goes in which batch, and what each caller gets back. */
class GroupCommitTest {
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    /** The batches the writer was given, in order. */
    private final List<List<Integer>> written = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /**
     * Records each batch the writer is given and holds the first until {@code release}; then answers
     * as {@code writer} does (which may throw, as a failing database would).
     */
    private GroupCommit<Integer, Integer> holdingTheFirstBatch(
            CountDownLatch release, int writing, UnaryOperator<List<Integer>> writer) {
        return new GroupCommit<>(
                items -> {
                    written.add(items);
                    if (written.size() == 1) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return writer.apply(items);
                },
                100,
                writing);
    }

    /** Doubles every item; the first batch waits for {@code release}. */
    private GroupCommit<Integer, Integer> doubling(CountDownLatch release) {
        return holdingTheFirstBatch(
                release, 1, items -> items.stream().map(i -> i * 2).toList());
    }

    /** The caller of 0, whose batch is held, and the callers of {@code from..to} who arrived while it was. */
    private record Behind(Future<Integer> first, List<Future<Integer>> waiting) {}

    /**
     * Submits 0 and waits until its batch is being written (and held); submits {@code from..to}; once all
     * of them wait for the next batch, releases the first.
     */
    private Behind behindAHeldBatch(GroupCommit<Integer, Integer> commit, CountDownLatch release, int from, int to) {
        Future<Integer> first = callers.submit(() -> commit.submit(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 1);
        List<Future<Integer>> waiting = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            int item = i;
            waiting.add(callers.submit(() -> commit.submit(item)));
        }
        int count = to - from + 1;
        await().atMost(Duration.ofSeconds(10)).until(() -> commit.stats().waiting() == count);
        release.countDown();
        return new Behind(first, waiting);
    }

    @Test
    void anIdleCallerWritesAtOnceInABatchOfItsOwn() {
        GroupCommit<Integer, Integer> commit = doubling(new CountDownLatch(0));
        assertThat(commit.submit(21)).isEqualTo(42);
        assertThat(commit.submit(5)).isEqualTo(10);
        assertThat(written).containsExactly(List.of(21), List.of(5));
    }

    @Test
    void whatArrivesWhileABatchIsWrittenGoesTogetherInTheNextAndEachCallerGetsItsOwnResult() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commit = doubling(release);
        Behind behind = behindAHeldBatch(commit, release, 1, 20);

        assertThat(behind.first().get(10, TimeUnit.SECONDS)).isZero();
        for (int i = 1; i <= 20; i++) {
            assertThat(behind.waiting().get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo(2 * i);
        }
        assertThat(written).hasSize(2);
        assertThat(written.get(1)).hasSize(20);
        assertThat(commit.stats().batches()).isEqualTo(2);
        assertThat(commit.stats().largestBatch()).isEqualTo(20);
    }

    @Test
    void aBatchThatFailsOnAnUnreachableDatabaseFailsEveryCallerInItWithAnAnswerAndTheNextBatchRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commit = holdingTheFirstBatch(release, 1, items -> {
            if (written.size() == 2) {
                throw new IllegalStateException("commit lost", new SQLException("connection reset", "08006"));
            }
            return items;
        });
        Behind behind = behindAHeldBatch(commit, release, 1, 10);

        assertThat(behind.first().get(10, TimeUnit.SECONDS)).isZero();
        for (Future<Integer> f : behind.waiting()) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(GroupCommit.BatchFailedException.class)
                    .hasRootCauseInstanceOf(SQLException.class);
        }
        assertThat(written)
                .as("not written again: the commit may have happened")
                .hasSize(2);
        assertThat(commit.submit(7)).as("the next batch runs").isEqualTo(7);
    }

    @Test
    void aBatchRefusedForOneBadItemIsWrittenAgainOneByOneSoOnlyThatCallerFails() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commit = holdingTheFirstBatch(release, 1, items -> {
            if (items.contains(13)) {
                throw new IllegalStateException("refused", new SQLException("invalid byte sequence", "22021"));
            }
            return items;
        });
        Behind behind = behindAHeldBatch(commit, release, 10, 15);

        assertThat(behind.first().get(10, TimeUnit.SECONDS)).isZero();
        for (int i = 10; i <= 15; i++) {
            Future<Integer> f = behind.waiting().get(i - 10);
            if (i == 13) {
                assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOf(GroupCommit.BatchFailedException.class)
                        .hasMessageContaining("1 in its batch")
                        .hasRootCauseMessage("invalid byte sequence");
            } else {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(i);
            }
        }
        assertThat(written.subList(2, written.size()))
                .as("after the refused batch of 6, each item alone")
                .hasSize(6)
                .allSatisfy(items -> assertThat(items).hasSize(1));
    }

    @Test
    void aWriterThatThrowsAnErrorStillAnswersEveryCallerAndHandsTheNextBatchOn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commit = holdingTheFirstBatch(release, 1, items -> {
            if (written.size() == 1) {
                throw new StackOverflowError("a bug");
            }
            return items;
        });
        Behind behind = behindAHeldBatch(commit, release, 1, 1);

        assertThatThrownBy(() -> behind.first().get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(StackOverflowError.class);
        assertThat(behind.waiting().get(0).get(10, TimeUnit.SECONDS))
                .as("written by the next batch")
                .isEqualTo(1);
    }

    @Test
    void withTwoBatchesAtOnceACallerArrivingWhileOneIsHeldWritesItsOwnAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // The held batch is 0's alone: nothing else is submitted until it is being written.
        GroupCommit<Integer, Integer> commit = holdingTheFirstBatch(
                release, 2, items -> items.stream().map(i -> i * 2).toList());
        Future<Integer> held = callers.submit(() -> commit.submit(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 1);
        assertThat(callers.submit(() -> commit.submit(1)).get(10, TimeUnit.SECONDS))
                .as("not behind the held batch")
                .isEqualTo(2);
        assertThat(commit.submit(2)).isEqualTo(4);
        assertThat(held).isNotDone();
        release.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void underConcurrentLoadEveryCallerGetsItsOwnResultAndNoneIsLeftWaiting() throws Exception {
        for (int writing = 1; writing <= 3; writing++) {
            GroupCommit<Integer, Integer> commit = new GroupCommit<>(
                    items -> {
                        Thread.yield();
                        return items.stream().map(i -> i * 2).toList();
                    },
                    16,
                    writing);
            List<Future<Boolean>> workers = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                int base = t * 1000;
                workers.add(callers.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        if (commit.submit(base + i) != 2 * (base + i)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> w : workers) {
                assertThat(w.get(60, TimeUnit.SECONDS)).isTrue();
            }
            GroupCommit.Stats stats = commit.stats();
            assertThat(stats.items()).isEqualTo(64 * 200);
            assertThat(stats.waiting()).isZero();
            assertThat(stats.largestBatch()).isLessThanOrEqualTo(16);
        }
    }
}
