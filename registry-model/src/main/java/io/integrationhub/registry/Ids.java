package io.integrationhub.registry;

import com.github.f4b6a3.ulid.UlidCreator;
import java.util.regex.Pattern;

/** Identifiers of hub records: lower-case ULIDs, which sort by creation time (used for paging). */
public final class Ids {
    private static final Pattern ULID = Pattern.compile("[0-9a-hjkmnp-tv-z]{26}");

    private Ids() {}

    /** A new monotonic ULID in lower case, e.g. {@code 01j9pint4m2x...}. */
    public static String newId() {
        return UlidCreator.getMonotonicUlid().toLowerCase();
    }

    /** True when {@code value} has the shape of an id made by {@link #newId()}. */
    public static boolean looksLikeId(String value) {
        return value != null && ULID.matcher(value).matches();
    }
}
