package io.integrationhub.dataplane.observe;

import java.util.regex.Pattern;

/**
 * The trace id, tenant and provider of the request the current thread serves, for log lines.
 * Helidon runs every request on a virtual thread of its own, so a thread-local is the request's;
 * whoever opens a scope closes it (try-with-resources), which restores what was there before.
 */
public final class LogContext {
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final ThreadLocal<Values> CURRENT = new ThreadLocal<>();

    private LogContext() {}

    /** What log lines of this thread carry now; fields may be null. */
    public record Values(String traceId, String tenant, String provider) {
        static final Values EMPTY = new Values(null, null, null);
    }

    /** A scope that restores the previous values when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public static Values current() {
        Values values = CURRENT.get();
        return values == null ? Values.EMPTY : values;
    }

    /** Starts a request's scope: its trace id (from a W3C traceparent, when valid) and its tenant. */
    public static Scope open(String traceparent, String tenant) {
        Values previous = CURRENT.get();
        CURRENT.set(new Values(traceIdOf(traceparent), tenant, null));
        return () -> restore(previous);
    }

    /** Sets the trace id for the rest of the current scope. */
    public static void traceId(String traceId) {
        Values values = current();
        CURRENT.set(new Values(traceId, values.tenant(), values.provider()));
    }

    /** Sets the tenant for the rest of the current scope (once the caller is authenticated). */
    public static void tenant(String tenant) {
        Values values = current();
        CURRENT.set(new Values(values.traceId(), tenant, values.provider()));
    }

    /** Sets the provider for the rest of the current scope (once it is resolved). */
    public static void provider(String providerId) {
        Values values = current();
        CURRENT.set(new Values(values.traceId(), values.tenant(), providerId));
    }

    /** The trace id of a W3C traceparent, or null when it is absent or invalid. */
    public static String traceIdOf(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var match = TRACEPARENT.matcher(traceparent.trim());
        return match.matches() && !match.group(1).equals(ZERO_TRACE) ? match.group(1) : null;
    }

    private static void restore(Values previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
