package io.integrationhub.dataplane.api;

import io.integrationhub.registry.problem.ProblemType;
import java.util.Optional;

/** Optimistic concurrency over HTTP: the version as a strong ETag, and If-Match read back into it. */
public final class ETags {
    private ETags() {}

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an If-Match names, or null when there is none or it is {@code *}. A value that
     * names no version of ours can never match: 412.
     */
    public static Long expectedVersion(Optional<String> ifMatch) {
        if (ifMatch.isEmpty() || ifMatch.get().isBlank() || ifMatch.get().trim().equals("*")) {
            return null;
        }
        String value = ifMatch.get().trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 3 && value.startsWith("\"") && value.endsWith("\"")) {
            try {
                return Long.parseLong(value.substring(1, value.length() - 1));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new ApiException(ProblemType.PRECONDITION_FAILED, "If-Match does not name a version of this resource");
    }
}
