package io.integrationhub.dataplane.call.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.dataplane.call.failover.MoveOn.Happened;
import io.integrationhub.dataplane.call.failover.MoveOn.Reason;
import io.integrationhub.dataplane.call.failover.MoveOn.Refusal;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the rule "may this call move on?", as the contract lists them. */
class MoveOnTest {
    private static final List<Integer> ON_503 = List.of(503);

    static Stream<Arguments> cases() {
        return Stream.of(
                // Refused by the hub before anything was sent: move on at once.
                Arguments.of(
                        "breaker open",
                        0,
                        new Happened.Refused(Refusal.CIRCUIT_OPEN),
                        ON_503,
                        Optional.of(Reason.CIRCUIT_OPEN)),
                Arguments.of(
                        "rate limited",
                        0,
                        new Happened.Refused(Refusal.RATE_LIMITED),
                        ON_503,
                        Optional.of(Reason.RATE_LIMITED)),
                Arguments.of(
                        "provider paused", 0, new Happened.Refused(Refusal.PAUSED), ON_503, Optional.of(Reason.PAUSED)),
                // Failed with nothing sent (connection refused, DNS, TLS handshake): move on.
                Arguments.of(
                        "not connected", 0, new Happened.NotConnected(), List.of(), Optional.of(Reason.NOT_CONNECTED)),
                // An answer the route declares "not executed": move on without retrying this provider.
                Arguments.of("503 in onStatus", 0, new Happened.Answered(503), ON_503, Optional.of(Reason.ON_STATUS)),
                Arguments.of(
                        "409 in onStatus",
                        0,
                        new Happened.Answered(409),
                        List.of(409, 503),
                        Optional.of(Reason.ON_STATUS)),
                // May have executed: never move.
                Arguments.of("timeout", 0, new Happened.TimedOut(), ON_503, Optional.empty()),
                Arguments.of("reset mid-answer", 0, new Happened.Broken(), ON_503, Optional.empty()),
                Arguments.of("503 without onStatus", 0, new Happened.Answered(503), List.of(), Optional.empty()),
                Arguments.of("500 not in onStatus", 0, new Happened.Answered(500), ON_503, Optional.empty()),
                Arguments.of("200", 0, new Happened.Answered(200), ON_503, Optional.empty()),
                Arguments.of("429 not in onStatus", 0, new Happened.Answered(429), ON_503, Optional.empty()),
                Arguments.of(
                        "retry refused by the retry budget",
                        1,
                        new Happened.Refused(Refusal.RETRY_BUDGET),
                        ON_503,
                        Optional.empty()),
                Arguments.of("any other refusal", 0, new Happened.Refused(Refusal.OTHER), ON_503, Optional.empty()),
                // After an attempt that may have executed, nothing moves the call: not even a proof about this one.
                Arguments.of(
                        "retry refused by an open breaker",
                        1,
                        new Happened.Refused(Refusal.CIRCUIT_OPEN),
                        ON_503,
                        Optional.empty()),
                Arguments.of(
                        "retry rate limited", 2, new Happened.Refused(Refusal.RATE_LIMITED), ON_503, Optional.empty()),
                Arguments.of("retry paused", 1, new Happened.Refused(Refusal.PAUSED), ON_503, Optional.empty()),
                Arguments.of("retry not connected", 1, new Happened.NotConnected(), ON_503, Optional.empty()),
                Arguments.of(
                        "retry answered 503 in onStatus", 1, new Happened.Answered(503), ON_503, Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, int sentBefore, Happened happened, List<Integer> onStatus, Optional<Reason> expected) {
        assertThat(MoveOn.after(sentBefore, happened, onStatus)).isEqualTo(expected);
    }

    @Test
    void theReasonLabelsAreTheFiveOfTheMetric() {
        assertThat(Stream.of(Reason.values()).map(Reason::label))
                .containsExactly("circuit_open", "rate_limited", "paused", "not_connected", "on_status");
    }
}
