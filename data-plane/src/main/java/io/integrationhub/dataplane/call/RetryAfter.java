package io.integrationhub.dataplane.call;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long a provider asked the hub to wait: {@code Retry-After} (seconds or an HTTP date), else
 * {@code RateLimit-Reset} (seconds) or {@code X-RateLimit-Reset} (seconds, or an epoch timestamp).
 */
final class RetryAfter {
    private static final long EPOCH_THRESHOLD = 1_000_000_000L;

    private RetryAfter() {}

    static Optional<Duration> from(Map<String, List<String>> headers, Instant now) {
        Optional<Duration> retryAfter = header(headers, "Retry-After").flatMap(value -> parse(value, now));
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        return header(headers, "RateLimit-Reset")
                .or(() -> header(headers, "X-RateLimit-Reset"))
                .flatMap(value -> seconds(value)
                        .map(seconds -> seconds > EPOCH_THRESHOLD
                                ? Duration.between(now, Instant.ofEpochSecond(seconds))
                                : Duration.ofSeconds(seconds)))
                .filter(wait -> !wait.isNegative());
    }

    static Optional<Duration> parse(String value, Instant now) {
        Optional<Long> seconds = seconds(value);
        if (seconds.isPresent()) {
            return seconds.map(Duration::ofSeconds);
        }
        try {
            Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> seconds(String value) {
        String trimmed = value.trim();
        if (!trimmed.matches("\\d{1,12}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(trimmed));
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .findFirst();
    }
}
