package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.registry.provider.ProviderConfig.Priority;
import io.integrationhub.testkit.StoppedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Waiting for a slot instead of 429. The limiter is a semaphore the test hands slots to: while it
 * is empty every ask is refused with a short wait, so what is checked is who gets a freed slot, and
 * whether a call waits at all, not how long anything takes.
 */
class WaitersTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    private final Semaphore slots = new Semaphore(0);
    private final AtomicInteger asks = new AtomicInteger();

    private Supplier<Decision> limiter(Duration retryAfter) {
        return () -> {
            asks.incrementAndGet();
            return slots.tryAcquire() ? new Decision.Admitted(false, 1, true) : new Decision.RateLimited(retryAfter);
        };
    }

    @Test
    void aFreedSlotGoesToTheHighestClassWaitingThenInArrivalOrder() {
        Waiters waiters = new Waiters(10);
        List<String> admitted = new CopyOnWriteArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // Arrive lowest first, so that arrival order alone would serve them the wrong way round.
            String[][] arrivals = {
                {"batch", "BATCH"}, {"default", "DEFAULT"}, {"critical-1", "CRITICAL"}, {"critical-2", "CRITICAL"}
            };
            for (int i = 0; i < arrivals.length; i++) {
                String name = arrivals[i][0];
                Priority priority = Priority.valueOf(arrivals[i][1]);
                threads.submit(() -> {
                    if (waiters.admit("p", priority, LONG, limiter(Duration.ofMillis(5)))
                            instanceof Decision.Admitted) {
                        admitted.add(name);
                    }
                });
                int expected = i + 1;
                await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting("p") == expected);
            }
            for (int freed = 1; freed <= arrivals.length; freed++) {
                slots.release();
                int expected = freed;
                await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == expected);
            }
        }
        assertThat(admitted).containsExactly("critical-1", "critical-2", "default", "batch");
        assertThat(waiters.waiting("p")).isZero();
    }

    @Test
    void aCallWaitsOnlyWhenTheNamedInstantFitsWhatItMayWait() {
        Waiters waiters = new Waiters(10);
        // The limiter frees a slot in 500 ms; the call may wait 100 ms: refused at once, asked once.
        Decision refused =
                waiters.admit("p", Priority.DEFAULT, Duration.ofMillis(100), limiter(Duration.ofMillis(500)));
        assertThat(refused).isInstanceOf(Decision.RateLimited.class);
        assertThat(((Decision.RateLimited) refused).retryAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(asks).hasValue(1);
        assertThat(waiters.waiting("p")).isZero();

        // Nothing waits and a slot is free: admitted on the first ask, nothing queued.
        slots.release();
        assertThat(waiters.admit("p", Priority.BATCH, LONG, limiter(Duration.ofMillis(5))))
                .isInstanceOf(Decision.Admitted.class);
        assertThat(asks).hasValue(2);
    }

    @Test
    void refusalsThatAreNotTheLimitersAreNeverWaitedFor() {
        Waiters waiters = new Waiters(10);
        Decision open =
                waiters.admit("p", Priority.CRITICAL, LONG, () -> new Decision.CircuitOpen(Duration.ofMillis(5)));
        assertThat(open).isInstanceOf(Decision.CircuitOpen.class);
        assertThat(waiters.waiting("p")).isZero();
    }

    @Test
    void beyondTheBoundACallIsRefusedAtOnceAsOverloaded() throws Exception {
        Waiters waiters = new Waiters(2);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Decision>> waiting = new CopyOnWriteArrayList<>();
            for (String provider : List.of("p", "q")) { // the bound is the instance's, across providers
                waiting.add(CompletableFuture.supplyAsync(
                        () -> waiters.admit(provider, Priority.DEFAULT, LONG, limiter(Duration.ofMillis(5))), threads));
                await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting(provider) == 1);
            }
            assertThat(waiters.admit("p", Priority.CRITICAL, LONG, limiter(Duration.ofMillis(5))))
                    .isInstanceOf(Decision.QueueFull.class);
            slots.release(2);
            for (CompletableFuture<Decision> decision : waiting) {
                assertThat(decision.get()).isInstanceOf(Decision.Admitted.class);
            }
        }
    }

    @Test
    void aWaiterThatRunsOutOfTimeIsRefusedWithTheLimitersLastWord() {
        // Time is the test's: each ask takes 20 ms of it and names a slot 20 ms later. The call may wait
        // 70 ms: asked at 0 (slot at 40: fits), at 20 after waiting (slot at 60: fits), at 40 (slot at
        // 80: does not fit) -> refused then, with that ask's answer, after exactly three asks.
        StoppedClock clock = new StoppedClock(Instant.parse("2026-12-06T12:00:00Z"));
        Waiters waiters = new Waiters(10, clock);
        Supplier<Decision> ticking = () -> {
            clock.advance(Duration.ofMillis(20));
            return limiter(Duration.ofMillis(20)).get();
        };
        Decision decision = waiters.admit("p", Priority.DEFAULT, Duration.ofMillis(70), ticking);
        assertThat(decision).isEqualTo(new Decision.RateLimited(Duration.ofMillis(20)));
        assertThat(asks).hasValue(3);
        assertThat(waiters.waiting("p")).isZero();
    }

    @Test
    void aCallThatJoinsAfterARefusalWaitsForTheNamedSlotBeforeAskingAgain() {
        // Asking again at once would only hear the same refusal (and cost a limiter round trip).
        StoppedClock clock = new StoppedClock(Instant.parse("2026-12-06T12:00:00Z"));
        Waiters waiters = new Waiters(10, clock);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Decision> waiting = CompletableFuture.supplyAsync(
                    () -> waiters.admit("p", Priority.DEFAULT, LONG, limiter(Duration.ofSeconds(1))), threads);
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting("p") == 1);
            assertThat(asks).hasValue(1);
            slots.release();
            assertThat(waiting.join()).isInstanceOf(Decision.Admitted.class);
            assertThat(asks).hasValue(2);
        }
    }
}
