package io.integrationhub.dataplane.background;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The loop's policy with a pauser that records instead of waiting: no test here sleeps. */
class BackgroundLoopTest {
    /** What one round of the scripted step does. */
    enum Round {
        OK,
        SQL_FAILURE,
        BUG,
        OUT_OF_MEMORY,
        STACK_OVERFLOW
    }

    static Stream<Arguments> scripts() {
        Round ok = Round.OK;
        Round sql = Round.SQL_FAILURE;
        return Stream.of(
                Arguments.of(
                        "a failing step backs off 1, 2, 4, 8, 16 s and then 30 s at most",
                        List.of(sql, sql, sql, sql, sql, sql, sql),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        List.of(
                                "backoff 1000",
                                "backoff 2000",
                                "backoff 4000",
                                "backoff 8000",
                                "backoff 16000",
                                "backoff 30000",
                                "backoff 30000"),
                        List.of("WARNING failed (java.sql.SQLException, SQLState 08001")),
                Arguments.of(
                        "a success resets the backoff and waits the period",
                        List.of(sql, sql, ok, sql, ok, ok),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        List.of("backoff 1000", "backoff 2000", "wake 5000", "backoff 1000", "wake 5000", "wake 5000"),
                        List.of(
                                "WARNING failed (java.sql.SQLException",
                                "INFO works again",
                                "WARNING failed (java.sql.SQLException",
                                "INFO works again")),
                Arguments.of(
                        "an Error does not end the loop: it is run again like any failure",
                        List.of(Round.OUT_OF_MEMORY, Round.STACK_OVERFLOW, Round.BUG, ok),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        List.of("backoff 1000", "backoff 2000", "backoff 4000", "wake 5000"),
                        List.of("SEVERE failed (java.lang.OutOfMemoryError", "INFO works again")),
                Arguments.of(
                        "an outage of forty failures is one line when it starts and one when it ends",
                        Stream.concat(Collections.nCopies(40, sql).stream(), Stream.of(ok))
                                .toList(),
                        Duration.ofMillis(100),
                        Duration.ofMillis(400),
                        Stream.concat(
                                        Stream.of("backoff 100", "backoff 200"),
                                        Stream.concat(
                                                Collections.nCopies(38, "backoff 400").stream(),
                                                Stream.of("wake 5000")))
                                .toList(),
                        List.of("WARNING failed (java.sql.SQLException", "INFO works again")),
                Arguments.of(
                        "steps that keep working log nothing",
                        List.of(ok, ok, ok),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        List.of("wake 5000", "wake 5000", "wake 5000"),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void followsThePolicy(
            String rule,
            List<Round> script,
            Duration firstBackoff,
            Duration maxBackoff,
            List<String> expectedPauses,
            List<String> expectedLogLines)
            throws Exception {
        String name = "test-loop-" + LOOP_NUMBER.incrementAndGet();
        List<String> pauses = new CopyOnWriteArrayList<>();
        CountDownLatch scriptDone = new CountDownLatch(1);
        AtomicInteger rounds = new AtomicInteger();
        try (LogLines logs = LogLines.of(name)) {
            BackgroundLoop loop = BackgroundLoop.named(name)
                    .every(Duration.ofSeconds(5))
                    .backoff(firstBackoff, maxBackoff)
                    .pauser((duration, wake) -> pauses.add((wake == null ? "backoff " : "wake ") + duration.toMillis()))
                    .run(() -> {
                        int round = rounds.getAndIncrement();
                        if (round == script.size()) {
                            scriptDone.countDown();
                            new CountDownLatch(1).await(); // until close() interrupts it
                        }
                        switch (script.get(round)) {
                            case OK -> {}
                            case SQL_FAILURE ->
                                throw new SQLException("password authentication failed for \"s3cret\"", "08001");
                            case BUG -> throw new IllegalStateException("a bug quoting s3cret");
                            case OUT_OF_MEMORY -> throw new OutOfMemoryError("s3cret");
                            case STACK_OVERFLOW -> throw new StackOverflowError();
                        }
                    });
            await().atMost(Duration.ofSeconds(10)).until(() -> scriptDone.getCount() == 0);
            assertThat(loop.closeAndWait(Duration.ofSeconds(10))).isTrue();

            assertThat(pauses).as(rule).containsExactlyElementsOf(expectedPauses);
            assertThat(logs.lines()).as(rule).hasSameSizeAs(expectedLogLines);
            for (int i = 0; i < expectedLogLines.size(); i++) {
                assertThat(logs.lines().get(i))
                        .as(rule)
                        .startsWith(expectedLogLines.get(i).replaceFirst(" ", " " + name + " "));
            }
            assertThat(logs.lines()).as("never an exception's message").noneMatch(line -> line.contains("s3cret"));
        }
    }

    @Test
    void aSessionRunsAgainAfterAnyEndingWithABackoffThatStartsOverOnceItIsUp() {
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        BackgroundLoop loop = BackgroundLoop.named("test-session")
                .pauser(BackgroundLoop.sleeping(pauses::add))
                .runSessions(control -> {
                    int run = runs.incrementAndGet();
                    switch (run) {
                        case 1 -> throw new SQLException("connection refused", "08001");
                        case 2 -> throw new IllegalStateException("a bug");
                        case 3 -> throw new OutOfMemoryError("Java heap space");
                        case 8 -> {
                            control.up();
                            throw new StackOverflowError();
                        }
                        case 10 -> {
                            control.up();
                            never.await(); // up until close() interrupts it
                        }
                        default -> {
                            // returns without being up: stopped by itself, run again as well
                        }
                    }
                });
        try {
            assertThat(loop.health()).isIn("DEGRADED", "UP");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> runs.get() == 10 && loop.health().equals("UP"));

            assertThat(pauses)
                    .containsExactly(
                            seconds(1),
                            seconds(2),
                            seconds(4),
                            seconds(8),
                            seconds(16),
                            seconds(30),
                            seconds(30),
                            seconds(1),
                            seconds(2));
            assertThat(loop.restarts()).isEqualTo(9);
        } finally {
            assertThat(loop.closeAndWait(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(loop.health()).isEqualTo("DEGRADED");
        assertThat(runs.get()).as("closed: not started again").isEqualTo(10);
    }

    @Test
    void wakeRunsTheNextRoundNowInsteadOfAfterThePeriod() {
        AtomicInteger rounds = new AtomicInteger();
        BackgroundLoop loop =
                BackgroundLoop.named("test-wake").every(Duration.ofHours(1)).run(rounds::incrementAndGet);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 1);

            loop.wake();

            await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 2);
        } finally {
            loop.close();
        }
    }

    @Test
    void aPacedStepRunsAgainAtOnceWhileItSaysMoreWorkWaits() throws Exception {
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        List<Duration> answers = new ArrayList<>(List.of(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(3)));
        CountDownLatch done = new CountDownLatch(1);
        BackgroundLoop loop = BackgroundLoop.named("test-paced")
                .pauser((duration, wake) -> pauses.add(duration))
                .runPaced(() -> {
                    if (answers.isEmpty()) {
                        done.countDown();
                        new CountDownLatch(1).await();
                    }
                    return answers.removeFirst();
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> done.getCount() == 0);
        loop.closeAndWait(Duration.ofSeconds(10));

        assertThat(pauses).as("no pause after a round that left work").containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void closeAndWaitEndsARoundBlockedInWaitingAndNothingRunsAfterwards() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch blocked = new CountDownLatch(1);
        BackgroundLoop loop = BackgroundLoop.named("test-close")
                .firstAfter(Duration.ZERO)
                .run(() -> {
                    rounds.incrementAndGet();
                    blocked.countDown();
                    new CountDownLatch(1).await();
                });
        blocked.await();

        assertThat(loop.closeAndWait(Duration.ofSeconds(10))).isTrue();

        assertThat(rounds.get()).isEqualTo(1);
        assertThat(loop.health()).isEqualTo("DEGRADED");
    }

    @Test
    void describesAFailureByClassStateAndPlaceNeverByItsMessage() {
        SQLException failure = new SQLException("password authentication failed for user \"s3cret\"", "28P01");

        String text = BackgroundLoop.describe(failure);

        assertThat(text)
                .startsWith("java.sql.SQLException, SQLState 28P01 at ")
                .doesNotContain("s3cret")
                .doesNotContain("password");
    }

    private static final AtomicInteger LOOP_NUMBER = new AtomicInteger();

    private static Duration seconds(long value) {
        return Duration.ofSeconds(value);
    }

    /** The loop's log lines about one loop, as "LEVEL message". */
    private static final class LogLines extends Handler implements AutoCloseable {
        private final String name;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private LogLines(String name) {
            this.name = name;
        }

        static LogLines of(String name) {
            LogLines handler = new LogLines(name);
            Logger.getLogger(BackgroundLoop.class.getName()).addHandler(handler);
            return handler;
        }

        List<String> lines() {
            return lines;
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getMessage().startsWith(name + " ")) {
                lines.add(record.getLevel() + " " + record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            Logger.getLogger(BackgroundLoop.class.getName()).removeHandler(this);
        }
    }
}
