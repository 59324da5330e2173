package io.integrationhub.dataplane.background;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundLoopTest {
    @Test
    void restartsAfterAnyThrowableWithABackoffThatDoublesToThirtySecondsAndStartsOverOnceTheWorkIsUp() {
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        BackgroundLoop loop = BackgroundLoop.start(
                "test-loop",
                control -> {
                    int run = runs.incrementAndGet();
                    switch (run) {
                        case 1 -> throw new java.sql.SQLException("connection refused", "08001");
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
                            // returns without being up: stopped by itself, restarted as well
                        }
                    }
                },
                pauses::add);
        try {
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
            loop.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.health().equals("DEGRADED"));
        assertThat(runs.get()).as("closed: not started again").isEqualTo(10);
    }

    @Test
    void describesAFailureByClassStateAndPlaceNeverByItsMessage() {
        java.sql.SQLException failure =
                new java.sql.SQLException("password authentication failed for user \"s3cret\"", "28P01");

        String text = BackgroundLoop.describe(failure);

        assertThat(text)
                .startsWith("java.sql.SQLException, SQLState 28P01 at ")
                .doesNotContain("s3cret")
                .doesNotContain("password");
    }

    private static Duration seconds(long value) {
        return Duration.ofSeconds(value);
    }
}
