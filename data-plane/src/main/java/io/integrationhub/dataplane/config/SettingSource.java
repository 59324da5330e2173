package io.integrationhub.dataplane.config;

import io.helidon.config.Config;
import io.integrationhub.registry.provider.WireName;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting's raw text and its parsing: the {@code INTEGRATION_*} environment variable when set,
 * else the {@code hub:} key, else the default. A bad value throws a {@link SettingsException} naming
 * the variable and what it expects, never echoing the value when it may be a secret (URLs).
 */
final class SettingSource {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

    private final Function<String, String> env;
    private final Config hub;

    SettingSource(Function<String, String> env, Config hub) {
        this.env = env;
        this.hub = hub;
    }

    String raw(String variable, String key, String fallback) {
        String value = env.apply(variable);
        if (value == null || value.isBlank()) {
            value = hub.get(key).asString().orElse(null);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    int parseInt(String variable, String key, int fallback, int min, int max) {
        return (int) parseLong(variable, key, fallback, min, max);
    }

    long parseLong(String variable, String key, long fallback, long min, long max) {
        String value = raw(variable, key, null);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException(
                variable + " must be a whole number from " + min + " to " + max + ", but was '" + value + "'");
    }

    /** A whole number of seconds, or one followed by {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}. */
    Duration parseDuration(String variable, String key, Duration fallback, Duration min, Duration max) {
        String value = raw(variable, key, null);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration parsed = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofSeconds(amount);
            };
            if (parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
                return parsed;
            }
        }
        throw new SettingsException(variable + " must be a duration from " + min + " to " + max
                + " (seconds, or a number with ms, s, m, h or d), but was '" + value + "'");
    }

    boolean parseBoolean(String variable, String key, boolean fallback) {
        String value = raw(variable, key, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SettingsException(variable + " must be true or false, but was '" + value + "'");
        };
    }

    <E extends Enum<E>> E parseEnum(String variable, String key, Class<E> type, E fallback) {
        String value = raw(variable, key, null);
        if (value == null) {
            return fallback;
        }
        return WireName.parse(type, value.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new SettingsException(
                        variable + " must be one of " + WireName.choices(type) + ", but was '" + value + "'"));
    }

    /** A URL with one of the given schemes; the message never repeats it, as it may hold a password. */
    String url(String variable, String key, List<String> schemes) {
        String value = raw(variable, key, null);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            // A cluster's seeds (redis-cluster://h1:p1,h2:p2) are no single host: the authority holds them.
            boolean seeds =
                    uri.getScheme() != null && uri.getScheme().endsWith("-cluster") && uri.getAuthority() != null;
            if (uri.getScheme() != null
                    && schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    && (uri.getHost() != null || seeds)) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new SettingsException(
                variable + " must be a URL with scheme " + String.join("|", schemes) + " and a host");
    }
}
