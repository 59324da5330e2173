package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.dataplane.AdjustableClock;
import io.integrationhub.dataplane.RecordingSleeper;
import io.integrationhub.dataplane.TestProviders;
import io.integrationhub.dataplane.admission.Admission;
import io.integrationhub.dataplane.admission.Allowance;
import io.integrationhub.dataplane.admission.Decision;
import io.integrationhub.dataplane.admission.Outcome;
import io.integrationhub.dataplane.admission.Waiters;
import io.integrationhub.dataplane.auth.Caller;
import io.integrationhub.dataplane.body.Body;
import io.integrationhub.dataplane.credentials.OAuth2Failure;
import io.integrationhub.dataplane.credentials.OutboundAuth;
import io.integrationhub.dataplane.credentials.OutboundCredentials;
import io.integrationhub.dataplane.observe.CallObserver;
import io.integrationhub.registry.provider.AuthSpec;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The attempt loop's rules, each in milliseconds: no sockets, no sleeps. The upstream, admission
 * and credentials are scripted fakes; time is an {@link AdjustableClock} moved by the sleeper.
 */
class AttemptsTest {
    private final AdjustableClock clock = new AdjustableClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final ScriptedAdmission admission = new ScriptedAdmission();
    private final ScriptedUpstream upstream = new ScriptedUpstream();
    private final ScriptedCredentials credentials = new ScriptedCredentials();

    /** Retries with no jitter, base delay 100 ms, doubling: a backoff budget of 100+200+400+800 ms for 5 attempts. */
    private static Provider provider(int maxAttempts) {
        ProviderConfig config = ProviderConfig.builder()
                .timeoutMs(1000)
                .retry(new ProviderConfig.Retry(maxAttempts, 100, 2, 0, 20))
                .allowPrivateNetwork(true)
                .build();
        return TestProviders.of("https://p.test/base", AuthSpec.NONE, config);
    }

    /** A call with nowhere else to go, for a module not known (as a replay runs). */
    private Attempts.End run(Provider provider) {
        return run(provider, Caller.UNKNOWN_MODULE, false, List.of());
    }

    /** A call of {@code module} through these fakes; {@code mayMoveOn} when a route has another provider. */
    private Attempts.End run(Provider provider, String module, boolean mayMoveOn, List<Integer> onStatus) {
        Attempts attempts = new Attempts(
                admission,
                credentials,
                upstream,
                sleeper,
                clock,
                RandomGenerator.of("L64X128MixRandom"),
                100,
                new CallStats(clock),
                new Waiters(10));
        OutboundRequest request =
                new OutboundRequest("POST", "/v1/x", null, Map.of(), "application/json", Body.of("{}".getBytes()));
        return attempts.run(new Attempts.Call(
                provider,
                request,
                module,
                "key-1",
                "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01",
                Duration.ofMillis(1000),
                CallObserver.Observation.NONE,
                mayMoveOn,
                onStatus,
                CallDeadline.NONE));
    }

    @Test
    void aSmallFinalAnswerIsReadWholeAndRecordedAsASuccess() {
        upstream.answer(200, Map.of(), "{\"ok\":true}");
        Attempts.End end = run(provider(3));
        assertThat(end).isInstanceOfSatisfying(Attempts.End.Answer.class, answer -> {
            assertThat(answer.bytes()).asString().isEqualTo("{\"ok\":true}");
            assertThat(answer.sent()).isEqualTo(1);
        });
        assertThat(admission.outcomes).containsExactly(Outcome.SUCCESS);
        assertThat(sleeper.delays()).isEmpty();
    }

    @Test
    void fiveHundredsAreRetriedWithExponentialBackoffThenGivenUp() {
        for (int i = 0; i < 3; i++) {
            upstream.answer(502, Map.of(), "bad gateway");
        }
        Attempts.End end = run(provider(3));
        assertThat(end).isInstanceOfSatisfying(Attempts.End.GaveUp.class, gaveUp -> {
            assertThat(gaveUp.sent()).isEqualTo(3);
            assertThat(gaveUp.error().status()).isEqualTo(502);
            assertThat(gaveUp.timedOut()).isFalse();
        });
        assertThat(sleeper.delays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(admission.retries).containsExactly(false, true, true);
        assertThat(upstream.discarded).isEqualTo(3);
    }

    /**
     * What one answer of the provider leads to, the next answer being a 200: how many requests were
     * sent, the outcomes admission recorded, the pauses it was asked for, and the waits in between.
     * Backoff: 100 ms, doubling; a Retry-After within the budget replaces the backoff.
     */
    @ParameterizedTest(name = "{0} (Retry-After {1}) -> sent {2}, outcomes {3}, pauses {4}, waits {5}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "200 | none | 1 | SUCCESS         | none | none",
                "204 | none | 1 | SUCCESS         | none | none",
                "302 | none | 1 | SUCCESS         | none | none",
                "400 | none | 1 | NEUTRAL         | none | none",
                "401 | none | 1 | NEUTRAL         | none | none",
                "404 | none | 1 | NEUTRAL         | none | none",
                "409 | none | 1 | NEUTRAL         | none | none",
                // A 429 that says nothing of when is the provider's answer; one that says when is waited on.
                "429 | none | 1 | NEUTRAL         | none | none",
                "429 | 1    | 2 | NEUTRAL SUCCESS | PT1S | PT1S",
                "500 | none | 2 | FAILURE SUCCESS | none | PT0.1S",
                "500 | 1    | 2 | FAILURE SUCCESS | none | PT1S",
                "502 | none | 2 | FAILURE SUCCESS | none | PT0.1S",
                "503 | none | 2 | FAILURE SUCCESS | none | PT0.1S",
                "503 | 1    | 2 | FAILURE SUCCESS | PT1S | PT1S",
                "504 | none | 2 | FAILURE SUCCESS | none | PT0.1S",
                "599 | none | 2 | FAILURE SUCCESS | none | PT0.1S",
            })
    void whatOneAnswerLeadsTo(int status, String retryAfter, int sent, String outcomes, String pauses, String waits) {
        upstream.answer(
                status, retryAfter == null ? Map.of() : Map.of("Retry-After", List.of(retryAfter)), "answer " + status);
        upstream.answer(200, Map.of(), "ok");
        Attempts.End end = run(provider(5));
        assertThat(end)
                .isInstanceOfSatisfying(
                        Attempts.End.Answer.class,
                        answer -> assertThat(answer.sent()).isEqualTo(sent));
        assertThat(upstream.calls).isEqualTo(sent);
        assertThat(admission.outcomes)
                .containsExactlyElementsOf(
                        Arrays.stream(outcomes.split(" ")).map(Outcome::valueOf).toList());
        assertThat(admission.pauses).containsExactlyElementsOf(durations(pauses));
        assertThat(sleeper.delays()).containsExactlyElementsOf(durations(waits));
    }

    private static List<Duration> durations(String list) {
        return list == null
                ? List.of()
                : Arrays.stream(list.split(" ")).map(Duration::parse).toList();
    }

    @Test
    void aRetryAfterWithinTheBackoffBudgetSetsTheNextDelayAndPausesTheProvider() {
        upstream.answer(503, Map.of("Retry-After", List.of("1")), "");
        upstream.answer(200, Map.of(), "ok");
        Attempts.End end = run(provider(5));
        assertThat(end).isInstanceOf(Attempts.End.Answer.class);
        assertThat(sleeper.delays()).containsExactly(Duration.ofSeconds(1));
        assertThat(admission.pauses).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterBeyondTheBackoffBudgetGoesToTheDlqAtOnce() {
        upstream.answer(429, Map.of("Retry-After", List.of("120")), "");
        Attempts.End end = run(provider(5));
        assertThat(end).isInstanceOfSatisfying(Attempts.End.GaveUp.class, gaveUp -> {
            assertThat(gaveUp.sent()).isEqualTo(1);
            assertThat(gaveUp.error().message()).contains("exceeds the backoff budget");
        });
        assertThat(sleeper.delays()).isEmpty();
        assertThat(admission.outcomes).containsExactly(Outcome.NEUTRAL);
    }

    @Test
    void aFourHundredIsTheProvidersAnswerAndNotRetried() {
        upstream.answer(422, Map.of(), "{\"error\":\"card declined\"}");
        assertThat(run(provider(5))).isInstanceOf(Attempts.End.Answer.class);
        assertThat(upstream.calls).isEqualTo(1);
        assertThat(admission.outcomes).containsExactly(Outcome.NEUTRAL);
    }

    @Test
    void aRefusedOAuth2TokenIsRefreshedOnceOutsideTheBackoffSchedule() {
        credentials.refreshable = true;
        upstream.answer(401, Map.of(), "expired");
        upstream.answer(401, Map.of(), "still refused");
        Attempts.End end = run(provider(5));
        assertThat(end)
                .isInstanceOfSatisfying(
                        Attempts.End.Answer.class,
                        answer -> assertThat(answer.answer().status()).isEqualTo(401));
        assertThat(upstream.calls)
                .as("one refresh, then the 401 is the provider's answer")
                .isEqualTo(2);
        assertThat(credentials.refused).isEqualTo(1);
        assertThat(sleeper.delays()).isEmpty();
    }

    @Test
    void aTimeoutIsRetriedAndTheLastOneMakesTheCallTimedOut() {
        upstream.fail(
                new AttemptFailedException(AttemptFailedException.Kind.NETWORK, "network error: connection refused"));
        upstream.fail(new AttemptFailedException(AttemptFailedException.Kind.TIMEOUT, "did not answer in time"));
        Attempts.End end = run(provider(2));
        assertThat(end)
                .isInstanceOfSatisfying(
                        Attempts.End.GaveUp.class,
                        gaveUp -> assertThat(gaveUp.timedOut()).isTrue());
        assertThat(admission.outcomes).containsExactly(Outcome.FAILURE, Outcome.FAILURE);
    }

    @Test
    void aFirstAttemptRefusedByAdmissionSendsNothing() {
        admission.next.add(new Decision.CircuitOpen(Duration.ofSeconds(30)));
        assertThat(run(provider(5)))
                .isInstanceOfSatisfying(
                        Attempts.End.Refused.class,
                        refused -> assertThat(refused.decision()).isInstanceOf(Decision.CircuitOpen.class));
        assertThat(upstream.calls).isZero();
    }

    @Test
    void aRetryTheBudgetRefusesGoesToTheDlqWithoutWaiting() {
        upstream.answer(500, Map.of(), "");
        admission.next.add(new Decision.Admitted(false, 1, true));
        admission.next.add(new Decision.RetryBudgetExhausted());
        Attempts.End end = run(provider(5));
        assertThat(end).isInstanceOfSatisfying(Attempts.End.GaveUp.class, gaveUp -> {
            assertThat(gaveUp.sent()).isEqualTo(1);
            assertThat(gaveUp.error().message()).contains("retry budget is spent");
        });
        assertThat(sleeper.delays()).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void aStreamedAnswerLeavesTheLoopUnreadSoItIsNeverRetriedOnceItStarts() {
        upstream.streamed(200, "data: one\n\n");
        Attempts.End end = run(provider(5));
        assertThat(end).isInstanceOfSatisfying(Attempts.End.Answer.class, answer -> {
            assertThat(answer.bytes())
                    .as("not read here: it is passed on as it arrives")
                    .isNull();
            assertThat(answer.answer().declaredLength()).isEqualTo(-1);
        });
        assertThat(upstream.calls).isEqualTo(1);
    }

    @Test
    void aSmallAnswerThatBreaksWhileReadIsRetriedBecauseNothingReachedTheCaller() {
        upstream.broken(200, 100);
        upstream.answer(200, Map.of(), "whole");
        Attempts.End end = run(provider(3));
        assertThat(end)
                .isInstanceOfSatisfying(
                        Attempts.End.Answer.class,
                        answer -> assertThat(answer.bytes()).asString().isEqualTo("whole"));
        assertThat(upstream.calls).isEqualTo(2);
    }

    @Test
    void anOAuth2EndpointDownIsRetriedAndCountsAsAFailure() {
        credentials.failures.add(new OAuth2Failure("token endpoint unreachable", true, null));
        upstream.answer(200, Map.of(), "ok");
        assertThat(run(provider(3))).isInstanceOf(Attempts.End.Answer.class);
        assertThat(admission.outcomes).containsExactly(Outcome.FAILURE, Outcome.SUCCESS);
        assertThat(sleeper.delays()).containsExactly(Duration.ofMillis(100));
    }

    /** Admits unless told otherwise; remembers what it was told. */
    // ------------------------------------------------------------------ moving on along a route

    private Attempts.End runOnRoute(Provider provider, List<Integer> onStatus) {
        return run(provider, "module-1", true, onStatus);
    }

    @Test
    void aFirstAttemptRefusedBeforeSendingMovesOnAtOnceWithoutWaiting() {
        for (Decision refusal : List.of(
                new Decision.CircuitOpen(Duration.ofSeconds(30)),
                new Decision.RateLimited(Duration.ofSeconds(1)),
                new Decision.ProviderThrottled(Duration.ofSeconds(20)))) {
            admission.next.add(refusal);
            assertThat(runOnRoute(provider(5), List.of()))
                    .as(refusal.toString())
                    .isInstanceOfSatisfying(
                            Attempts.End.MovedOn.class,
                            moved -> assertThat(moved.sent()).isZero());
        }
        assertThat(upstream.calls).isZero();
        assertThat(sleeper.delays()).isEmpty();
    }

    @Test
    void aConnectionNeverMadeMovesOnWithoutRetryingThisProvider() {
        upstream.fail(new AttemptFailedException(AttemptFailedException.Kind.NETWORK, "connection refused", true));
        Attempts.End end = runOnRoute(provider(5), List.of());
        assertThat(end).isInstanceOfSatisfying(Attempts.End.MovedOn.class, moved -> {
            assertThat(moved.reason().label()).isEqualTo("not_connected");
            assertThat(moved.sent()).isEqualTo(1);
        });
        assertThat(upstream.calls).isEqualTo(1);
        assertThat(sleeper.delays()).isEmpty();
        assertThat(admission.outcomes).containsExactly(Outcome.FAILURE);
    }

    @Test
    void aDeclaredStatusMovesOnWithoutRetryAndAnyOtherStays() {
        upstream.answer(503, Map.of(), "down");
        assertThat(runOnRoute(provider(5), List.of(503)))
                .isInstanceOfSatisfying(
                        Attempts.End.MovedOn.class,
                        moved -> assertThat(moved.reason().label()).isEqualTo("on_status"));
        assertThat(upstream.calls).isEqualTo(1);
        assertThat(upstream.discarded).isEqualTo(1);

        upstream.answer(500, Map.of(), "down");
        upstream.answer(500, Map.of(), "down");
        assertThat(runOnRoute(provider(2), List.of(503))).isInstanceOf(Attempts.End.GaveUp.class);
        assertThat(upstream.calls).isEqualTo(3);
    }

    @Test
    void afterAnAttemptThatMayHaveExecutedTheCallNeverMovesOn() {
        // A timeout, then connection refused and an open breaker: the first attempt may have executed.
        upstream.fail(new AttemptFailedException(AttemptFailedException.Kind.TIMEOUT, "did not answer in time"));
        upstream.fail(new AttemptFailedException(AttemptFailedException.Kind.NETWORK, "connection refused", true));
        admission.next.add(new Decision.Admitted(false, 1, true));
        admission.next.add(new Decision.Admitted(false, 1, true));
        admission.next.add(new Decision.CircuitOpen(Duration.ofSeconds(30)));
        assertThat(runOnRoute(provider(5), List.of(503)))
                .isInstanceOfSatisfying(
                        Attempts.End.GaveUp.class,
                        gaveUp -> assertThat(gaveUp.sent()).isEqualTo(2));

        // A retry refused by the retry budget after a 503 that is not declared: stays, to the DLQ.
        upstream.answer(503, Map.of(), "down");
        admission.next.add(new Decision.Admitted(false, 1, true));
        admission.next.add(new Decision.RetryBudgetExhausted());
        assertThat(runOnRoute(provider(5), List.of()))
                .isInstanceOfSatisfying(
                        Attempts.End.GaveUp.class,
                        gaveUp -> assertThat(gaveUp.error().message()).contains("retry budget"));
    }

    @Test
    void aResetMidAnswerStaysWithTheProvider() {
        upstream.fail(
                new AttemptFailedException(AttemptFailedException.Kind.NETWORK, "network error: SocketException"));
        upstream.answer(200, Map.of(), "ok");
        assertThat(runOnRoute(provider(3), List.of())).isInstanceOf(Attempts.End.Answer.class);
        assertThat(upstream.calls).isEqualTo(2);
    }

    private static final class ScriptedAdmission implements Admission {
        final Deque<Decision> next = new ArrayDeque<>();
        final List<Boolean> retries = new ArrayList<>();
        final List<Outcome> outcomes = new ArrayList<>();
        final List<Duration> pauses = new ArrayList<>();

        @Override
        public Decision admit(Provider provider, Allowance allowance, boolean retry) {
            retries.add(retry);
            return next.isEmpty() ? new Decision.Admitted(false, 1, true) : next.poll();
        }

        @Override
        public void record(Provider provider, Decision.Admitted decision, Outcome outcome) {
            outcomes.add(outcome);
        }

        @Override
        public void pause(Provider provider, Duration wait) {
            pauses.add(wait);
        }

        @Override
        public BreakerView breaker(Provider provider) {
            return new BreakerView("CLOSED", 0, Duration.ZERO, 0);
        }
    }

    /** Answers attempts from a script, in order. */
    private static final class ScriptedUpstream extends UpstreamCaller {
        private final Deque<Object> script = new ArrayDeque<>();
        int calls;
        int discarded;

        ScriptedUpstream() {
            super(null);
        }

        void answer(int status, Map<String, List<String>> headers, String body) {
            script.add(new Object[] {status, headers, body});
        }

        void streamed(int status, String body) {
            script.add(new UpstreamAnswer(status, Map.of(), -1, new ByteArrayInputStream(body.getBytes()), () -> {}));
        }

        void broken(int status, int declared) {
            InputStream breaks = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("Connection reset");
                }
            };
            script.add(new UpstreamAnswer(status, Map.of(), declared, breaks, () -> {}));
        }

        void fail(AttemptFailedException failure) {
            script.add(failure);
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
            calls++;
            assertThat(uri.toString()).isEqualTo("https://p.test/base/v1/x");
            assertThat(headers.get("Idempotency-Key")).containsExactly("key-1");
            Object next = script.poll();
            if (next instanceof AttemptFailedException failure) {
                throw failure;
            }
            if (next instanceof UpstreamAnswer answer) {
                return answer;
            }
            Object[] scripted = (Object[]) next;
            byte[] bytes = ((String) scripted[2]).getBytes();
            @SuppressWarnings("unchecked")
            Map<String, List<String>> answerHeaders = (Map<String, List<String>>) scripted[1];
            return new UpstreamAnswer(
                    (int) scripted[0], answerHeaders, bytes.length, new ByteArrayInputStream(bytes), () -> {}) {
                @Override
                void discard() {
                    discarded++;
                    super.discard();
                }
            };
        }
    }

    private static final class ScriptedCredentials implements OutboundCredentials {
        final Deque<OAuth2Failure> failures = new ArrayDeque<>();
        boolean refreshable;
        int refused;

        @Override
        public OutboundAuth authFor(Provider provider) {
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
            return OutboundAuth.NONE;
        }

        @Override
        public boolean refusedToken(Provider provider, OutboundAuth auth) {
            refused++;
            return refreshable;
        }
    }
}
