package io.integrationhub.cli.dlq;

import io.integrationhub.cli.error.HubctlException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The filters of {@code dlq list} and {@code dlq retry-all}: provider, status, creation time. */
public final class DlqFilterOptions {
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

    @Option(names = "--provider", paramLabel = "NAME", description = "Only entries of this provider (name or id).")
    String provider;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            split = ",",
            description = "Only entries in these states: pending, retrying, succeeded, failed (comma-separated).")
    java.util.List<String> statuses;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description =
                    "Only entries created since then: a duration ago (30m, 2h, 7d) or an instant (2026-01-31T12:00:00Z).")
    String since;

    @Option(
            names = "--until",
            paramLabel = "WHEN",
            description = "Only entries created before then (same forms as --since).")
    String until;

    /** The filter as query parameters, each prefixed with {@code &} (empty without filters). */
    String query(Clock clock) {
        StringBuilder query = new StringBuilder();
        add(query, "provider", provider);
        if (statuses != null && !statuses.isEmpty()) {
            add(
                    query,
                    "status",
                    String.join(
                            ",",
                            statuses.stream()
                                    .map(s -> s.trim().toLowerCase(Locale.ROOT))
                                    .toList()));
        }
        add(
                query,
                "createdFrom",
                since == null ? null : instant("--since", since, clock).toString());
        add(
                query,
                "createdTo",
                until == null ? null : instant("--until", until, clock).toString());
        return query.toString();
    }

    static Instant instant(String option, String value, Clock clock) {
        Duration ago = duration(value);
        if (ago != null) {
            return clock.instant().minus(ago);
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw HubctlException.usage(
                    option + " takes a duration ago (30m, 2h, 7d) or an instant such as 2026-01-31T12:00:00Z");
        }
    }

    /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 7d}; null when {@code value} is not of that form. */
    public static Duration duration(String value) {
        Matcher matcher = DURATION.matcher(value.trim());
        if (!matcher.matches()) {
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static void add(StringBuilder query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.append('&').append(name).append('=').append(URLEncoder.encode(value.trim(), StandardCharsets.UTF_8));
        }
    }
}
