package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.dataplane.TestProviders;
import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.admission.Allowance;
import io.integrationhub.dataplane.admission.Decision;
import io.integrationhub.dataplane.admission.Outcome;
import io.integrationhub.dataplane.admission.Waiters;
import io.integrationhub.dataplane.body.Body;
import io.integrationhub.dataplane.credentials.OutboundAuth;
import io.integrationhub.dataplane.credentials.OutboundCredentials;
import io.integrationhub.dataplane.observe.CallObserver;
import io.integrationhub.registry.provider.AuthSpec;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.testkit.StoppedClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The attempt loop under a caller's deadline, in milliseconds of a clock only the test moves: the
 * provider answers every attempt 503 after a fixed time (or times out first), backoff is fixed
 * (no jitter, multiplier 1). Each row says which attempts were made with which timeouts, which
 * waits were taken, how the loop ended and what the breaker was told.
 */
class AttemptDeadlineTest {
    private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");

    private final StoppedClock clock = new StoppedClock(START);
    private final List<Long> waits = new ArrayList<>();
    private final List<Long> timeouts = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private int admitted;

    @ParameterizedTest(
            name = "deadline {0} ms, {1} attempts, backoff {2} ms, timeout {3} ms, answer after {4} ms"
                    + " -> timeouts [{5}], waits [{6}], {7}, breaker [{8}]")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                // deadline | attempts | backoff | timeout | answer after | attempt timeouts | waits | end | breaker
                // Issue 18's case: 300 ms per 503 and a 1 s deadline: the third attempt is cut at the deadline.
                "1000 | 10 | 100 | 1000 | 300 | 1000 600 200 | 100 100 | DEADLINE | FAILURE FAILURE NEUTRAL",
                // Without a deadline (or with one that is never reached) the schedule is the provider's.
                "none | 3  | 100 | 1000 | 300 | 1000 1000 1000 | 100 100 | GAVE_UP | FAILURE FAILURE FAILURE",
                "60000 | 3 | 100 | 1000 | 300 | 1000 1000 1000 | 100 100 | GAVE_UP | FAILURE FAILURE FAILURE",
                // A wait that fits, then an attempt with what remains.
                "1000 | 10 | 500 | 1000 | 300 | 1000 200 | 500 | DEADLINE | FAILURE NEUTRAL",
                // A wait that does not fit (with an attempt after it) is not taken: the call ends at once.
                "1000 | 10 | 700 | 1000 | 300 | 1000 | none | DEADLINE | FAILURE",
                // With under 50 ms left no attempt starts.
                "1000 | 10 | 0 | 1000 | 320 | 1000 680 360 | 0 0 | DEADLINE | FAILURE FAILURE FAILURE",
                "30 | 10 | 100 | 1000 | 300 | none | none | DEADLINE | none",
                // The provider's own timeout, shorter than what remains, is a failure of the provider's.
                "5000 | 3 | 100 | 250 | 300 | 250 250 250 | 100 100 | GAVE_UP | FAILURE FAILURE FAILURE",
            })
    void attemptsFitInsideTheDeadline(
            Integer deadlineMs,
            int maxAttempts,
            int backoffMs,
            int timeoutMs,
            int answerAfterMs,
            String attemptTimeouts,
            String expectedWaits,
            String end,
            String breaker) {
        CallDeadline deadline = deadlineMs == null
                ? CallDeadline.NONE
                : CallDeadline.from(START).within(deadlineMs, "timeoutMs");
        Attempts attempts = new Attempts(
                new CountingAdmission(),
                new NoCredentials(),
                new SlowFailingUpstream(answerAfterMs),
                wait -> {
                    waits.add(wait.toMillis());
                    clock.advance(wait);
                },
                clock,
                RandomGenerator.of("L64X128MixRandom"),
                100,
                new CallStats(clock),
                new Waiters(10));
        Attempts.End ended = attempts.run(new Attempts.Call(
                provider(timeoutMs, maxAttempts, backoffMs),
                new OutboundRequest("POST", "/v1/x", null, Map.of(), "application/json", Body.of("{}".getBytes())),
                "payments",
                "key-1",
                "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01",
                Duration.ofMillis(timeoutMs),
                CallObserver.Observation.NONE,
                false,
                List.of(),
                deadline));

        assertThat(joined(timeouts)).as("attempt timeouts").isEqualTo(attemptTimeouts == null ? "" : attemptTimeouts);
        assertThat(joined(waits)).as("waits").isEqualTo(expectedWaits == null ? "" : expectedWaits);
        assertThat(outcomes.stream().map(Outcome::name).collect(Collectors.joining(" ")))
                .as("breaker")
                .isEqualTo(breaker == null ? "" : breaker);
        assertThat(admitted)
                .as("every attempt, and nothing more, took admission")
                .isEqualTo(timeouts.size());
        int sent = timeouts.size();
        switch (end) {
            case "DEADLINE" -> {
                assertThat(ended)
                        .isInstanceOfSatisfying(
                                Attempts.End.DeadlineExceeded.class,
                                expired -> assertThat(expired.sent()).isEqualTo(sent));
                // Never past the deadline: the answer goes back at the latest when the caller stops waiting.
                assertThat(clock.instant()).isBeforeOrEqualTo(deadline.at());
            }
            case "GAVE_UP" ->
                assertThat(ended)
                        .isInstanceOfSatisfying(
                                Attempts.End.GaveUp.class,
                                gaveUp -> assertThat(gaveUp.sent()).isEqualTo(sent));
            default -> throw new IllegalArgumentException(end);
        }
    }

    private static String joined(List<Long> millis) {
        return millis.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    /** A call that stood in line for a slot has only the rest of its deadline for the attempt. */
    @Test
    void timeInLineComesOffTheAttemptsTimeout() {
        CallDeadline deadline = CallDeadline.from(START).within(1000, "timeoutMs");
        Provider plain = provider(2000, 1, 0);
        Provider queueing =
                plain.withConfig(plain.config().toBuilder().maxQueueMs(5000).build());
        // The limiter refuses twice (a slot in 10 ms) while 600 ms of the call's clock pass in line.
        Admission slowSlot = new CountingAdmission() {
            private int refused;

            @Override
            public Decision admit(Provider provider, Allowance allowance, boolean retry) {
                if (refused++ < 2) {
                    clock.advance(Duration.ofMillis(300));
                    return new Decision.RateLimited(Duration.ofMillis(10));
                }
                return super.admit(provider, allowance, retry);
            }
        };
        CallStats stats = new CallStats(clock);
        Attempts attempts = new Attempts(
                slowSlot,
                new NoCredentials(),
                new SlowFailingUpstream(100),
                wait -> clock.advance(wait),
                clock,
                RandomGenerator.of("L64X128MixRandom"),
                100,
                stats,
                new Waiters(10, clock));
        attempts.run(new Attempts.Call(
                queueing,
                new OutboundRequest("POST", "/v1/x", null, Map.of(), "application/json", Body.of("{}".getBytes())),
                "payments",
                "key-1",
                "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01",
                Duration.ofMillis(2000),
                CallObserver.Observation.NONE,
                false,
                List.of(),
                deadline));
        assertThat(timeouts).containsExactly(400L);
        // Provider health's record of the wait: one call, in line for the 300 ms after it joined.
        CallStats.Snapshot waits = stats.waits(queueing.id());
        assertThat(waits.attempts()).isEqualTo(1);
        assertThat(waits.p99()).isEqualTo(300);
    }

    private static Provider provider(int timeoutMs, int maxAttempts, int backoffMs) {
        ProviderConfig config = ProviderConfig.builder()
                .timeoutMs(timeoutMs)
                .retry(new ProviderConfig.Retry(maxAttempts, backoffMs, 1, 0, 20))
                .allowPrivateNetwork(true)
                .build();
        return TestProviders.of("https://p.test/base", AuthSpec.NONE, config);
    }

    /** Answers 503 after {@code answerAfterMs} of the test's clock, or times out first when its timeout is shorter. */
    private final class SlowFailingUpstream extends UpstreamCaller {
        private final long answerAfterMs;

        SlowFailingUpstream(long answerAfterMs) {
            super(null);
            this.answerAfterMs = answerAfterMs;
        }

        @Override
        UpstreamAnswer call(
                boolean allowPrivateNetwork,
                String method,
                URI uri,
                Map<String, List<String>> headers,
                Body body,
                Duration timeout,
                Duration streamIdle)
                throws AttemptFailedException {
            timeouts.add(timeout.toMillis());
            if (timeout.toMillis() < answerAfterMs) {
                clock.advance(timeout);
                throw new AttemptFailedException(AttemptFailedException.Kind.TIMEOUT, "did not answer in time");
            }
            clock.advance(Duration.ofMillis(answerAfterMs));
            byte[] down = "down".getBytes();
            return new UpstreamAnswer(503, Map.of(), down.length, new ByteArrayInputStream(down), () -> {});
        }
    }

    private class CountingAdmission implements Admission {
        @Override
        public Decision admit(Provider provider, Allowance allowance, boolean retry) {
            admitted++;
            return new Decision.Admitted(false, 1, true);
        }

        @Override
        public void record(Provider provider, Decision.Admitted decision, Outcome outcome) {
            outcomes.add(outcome);
        }

        @Override
        public void pause(Provider provider, Duration wait) {}

        @Override
        public BreakerView breaker(Provider provider) {
            return new BreakerView("CLOSED", 0, Duration.ZERO, 0);
        }
    }

    private static final class NoCredentials implements OutboundCredentials {
        @Override
        public OutboundAuth authFor(Provider provider) {
            return OutboundAuth.NONE;
        }

        @Override
        public boolean refusedToken(Provider provider, OutboundAuth refused) {
            return false;
        }
    }
}
