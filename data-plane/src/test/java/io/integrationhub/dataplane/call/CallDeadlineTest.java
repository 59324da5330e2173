package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.registry.problem.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The caller's deadline: what the header accepts, and which of several deadlines wins. */
class CallDeadlineTest {
    private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource(
            delimiter = '|',
            value = {
                "1        | 1",
                "1000     | 1000",
                "' 250 '  | 250",
                "300000   | 300000",
            })
    void theHeaderAcceptsWholeMillisecondsUpToFiveMinutes(String value, int millis) {
        assertThat(CallDeadline.fromHeader(List.of(value))).isEqualTo(millis);
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @CsvSource(
            delimiter = '|',
            value = {
                "0",
                "-5",
                "+5",
                "300001",
                "9999999999",
                "1.5",
                "1e3",
                "fast",
                "''",
                "0x10",
                "100ms",
            })
    void theHeaderRefusesAnythingElseAsAValidationProblem(String value) {
        assertThatThrownBy(() -> CallDeadline.fromHeader(List.of(value)))
                .isInstanceOfSatisfying(ApiException.class, problem -> {
                    assertThat(problem.type()).isEqualTo(ProblemType.VALIDATION);
                    assertThat(problem.errors())
                            .singleElement()
                            .satisfies(error -> assertThat(error.field()).isEqualTo(CallDeadline.HEADER));
                });
    }

    @Test
    void anAbsentHeaderNamesNoDeadlineAndARepeatedOneIsRefused() {
        assertThat(CallDeadline.fromHeader(List.of())).isNull();
        assertThatThrownBy(() -> CallDeadline.fromHeader(List.of("100", "200")))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        problem -> assertThat(problem.type()).isEqualTo(ProblemType.VALIDATION));
    }

    /**
     * Header, envelope (or gRPC field) and the gRPC deadline, each optional: the earliest counts,
     * from the start. "none" means not given.
     */
    @ParameterizedTest(name = "header {0}, field {1}, gRPC {2} ms -> {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "none | none | none | none",
                "1000 | none | none | 1000",
                "none | 2000 | none | 2000",
                "none | none | 700  | 700",
                "1000 | 2000 | none | 1000",
                "3000 | 2000 | none | 2000",
                "3000 | 2000 | 900  | 900",
                "500  | 2000 | 900  | 500",
                "none | none | -20  | -20",
            })
    void theEarliestDeadlineWins(Integer header, Integer field, Integer grpc, Integer expectedMs) {
        CallDeadline deadline = CallDeadline.from(START)
                .within(header, CallDeadline.HEADER)
                .within(field, "timeoutMs")
                .within(grpc == null ? null : Duration.ofMillis(grpc));
        assertThat(deadline.bounded()).isEqualTo(expectedMs != null);
        assertThat(deadline.at()).isEqualTo(expectedMs == null ? null : START.plusMillis(expectedMs));
        assertThat(deadline.budget()).isEqualTo(expectedMs == null ? null : Duration.ofMillis(expectedMs));
    }

    @Test
    void aFieldOutOfRangeIsAValidationProblemNamingTheField() {
        for (int millis : new int[] {0, -1, CallDeadline.MAX_MS + 1}) {
            assertThatThrownBy(() -> CallDeadline.from(START).within(millis, "timeoutMs"))
                    .isInstanceOfSatisfying(
                            ApiException.class,
                            problem -> assertThat(problem.errors())
                                    .singleElement()
                                    .satisfies(
                                            error -> assertThat(error.field()).isEqualTo("timeoutMs")));
        }
    }

    /**
     * An attempt starting {@code elapsed} ms after the start gets the provider's timeout capped by
     * what remains, and none at all with less than 50 ms left; a wait fits when an attempt of at
     * least 50 ms still fits after it.
     */
    @ParameterizedTest(name = "deadline {0} ms, provider {1} ms, at {2} ms: attempt {3}, wait of {4} fits: {5}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                // deadline | provider timeout | elapsed | attempt timeout | wait | fits
                "none       | 1000             | 0       | 1000            | 60000 | true",
                "5000       | 1000             | 0       | 1000            | 4950  | true",
                "5000       | 1000             | 0       | 1000            | 4951  | false",
                "1000       | 1000             | 0       | 1000            | 0     | true",
                "1000       | 1000             | 300     | 700             | 650   | true",
                "1000       | 1000             | 300     | 700             | 651   | false",
                "1000       | 250              | 700     | 250             | 250   | true",
                "1000       | 250              | 900     | 100             | 51    | false",
                "1000       | 250              | 950     | 50              | 0     | true",
                "1000       | 250              | 951     | none            | 0     | false",
                "1000       | 250              | 1200    | none            | 0     | false",
            })
    void eachAttemptIsCappedByWhatRemains(
            Integer deadlineMs, int providerMs, int elapsedMs, Integer attemptMs, int waitMs, boolean fits) {
        CallDeadline deadline = CallDeadline.from(START).within(deadlineMs, "timeoutMs");
        Instant now = START.plusMillis(elapsedMs);
        assertThat(deadline.attemptTimeout(Duration.ofMillis(providerMs), now))
                .isEqualTo(attemptMs == null ? null : Duration.ofMillis(attemptMs));
        assertThat(deadline.fits(Duration.ofMillis(waitMs), now)).isEqualTo(fits);
    }

    @Test
    void aWaitForAFreeSlotIsCappedByTheDeadlineLessAnAttemptsMinimum() {
        CallDeadline deadline = CallDeadline.from(START).within(1000, "timeoutMs");
        Duration maxQueue = Duration.ofSeconds(5);
        assertThat(deadline.capWait(maxQueue, START)).isEqualTo(Duration.ofMillis(950));
        assertThat(deadline.capWait(Duration.ofMillis(200), START)).isEqualTo(Duration.ofMillis(200));
        assertThat(deadline.capWait(maxQueue, START.plusMillis(960))).isEqualTo(Duration.ZERO);
        assertThat(CallDeadline.NONE.capWait(maxQueue, START)).isEqualTo(maxQueue);
    }

    @Test
    void noDeadlineLeavesEveryAttemptItsProvidersTimeout() {
        assertThat(CallDeadline.NONE.bounded()).isFalse();
        assertThat(CallDeadline.NONE.attemptTimeout(Duration.ofSeconds(30), Instant.now()))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(CallDeadline.NONE.fits(Duration.ofMinutes(10), Instant.now()))
                .isTrue();
        assertThat(CallDeadline.NONE.within((Integer) null, "timeoutMs")).isEqualTo(CallDeadline.NONE);
    }
}
