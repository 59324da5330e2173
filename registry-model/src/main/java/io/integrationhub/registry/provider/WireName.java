package io.integrationhub.registry.provider;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Enums travel as their lower-case names ({@code API_KEY} is {@code "api_key"}). */
public final class WireName {
    private WireName() {}

    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(wire)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** "a|b|c", for error messages. */
    public static <E extends Enum<E>> String choices(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireName::of).collect(Collectors.joining("|"));
    }
}
