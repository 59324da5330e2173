package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How long a provider asked the hub to wait, read from its headers: no hub, no provider. */
class RetryAfterTest {
    /** Sun, 06 Dec 2026 06:00:00 GMT. */
    private static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");

    @ParameterizedTest(name = "Retry-After: \"{0}\" -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "0                             | PT0S",
                "120                           | PT2M",
                "'  7  '                       | PT7S",
                "999999999999                  | PT277777777H46M39S",
                "Sun, 06 Dec 2026 06:00:30 GMT | PT30S",
                "Sun, 06 Dec 2026 07:00:00 GMT | PT1H",
                "Sun, 06 Dec 2026 05:00:00 GMT | PT0S",
                "-5                            | none",
                "1.5                           | none",
                "1000000000000                 | none",
                "soon                          | none",
                "2026-12-06T06:00:30Z          | none",
                "''                            | none",
            })
    void parsesSecondsOrAnHttpDate(String value, String expected) {
        assertThat(RetryAfter.parse(value, NOW))
                .isEqualTo(Optional.ofNullable(expected).map(Duration::parse));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "Retry-After       | 3          | PT3S",
                "retry-after       | 3          | PT3S",
                "RateLimit-Reset   | 4          | PT4S",
                "ratelimit-reset   | 4          | PT4S",
                "X-RateLimit-Reset | 5          | PT5S",
                // Past 10^9 the value is an epoch timestamp: NOW + 60 s.
                "X-RateLimit-Reset | 1796536860 | PT1M",
                // An epoch timestamp in the past is no wait at all.
                "X-RateLimit-Reset | 1796536740 | none",
                "RateLimit-Reset   | later      | none",
                "X-Wait            | 5          | none",
            })
    void readsTheFirstHeaderThatSaysHowLong(String name, String value, String expected) {
        assertThat(RetryAfter.from(Map.of(name, List.of(value)), NOW))
                .isEqualTo(Optional.ofNullable(expected).map(Duration::parse));
    }

    @ParameterizedTest(name = "Retry-After {0} with RateLimit-Reset {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "2     | 9 | PT2S",
                // A Retry-After that cannot be read gives way to the rate-limit reset.
                "never | 9 | PT9S",
            })
    void retryAfterComesFirst(String retryAfter, String reset, String expected) {
        Map<String, List<String>> headers =
                Map.of("Retry-After", List.of(retryAfter), "RateLimit-Reset", List.of(reset));
        assertThat(RetryAfter.from(headers, NOW))
                .isEqualTo(Optional.ofNullable(expected).map(Duration::parse));
    }
}
