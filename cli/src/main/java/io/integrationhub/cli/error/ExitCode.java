package io.integrationhub.cli.error;

/**
 * The exit codes of every hubctl command, documented in {@code hubctl --help}. Scripts rely on them,
 * so a code never changes meaning.
 */
public final class ExitCode {
    public static final int OK = 0;
    /** A bad flag or argument, a missing or unreadable local file, an incomplete configuration. */
    public static final int USAGE = 1;
    /** The provider (or another resource) does not exist in the tenant. */
    public static final int NOT_FOUND = 2;
    /** The hub refused the change: invalid document, name taken, stale version, operator-managed. */
    public static final int CONFLICT = 3;
    /** No token, an invalid or expired one, a missing scope or another tenant. */
    public static final int AUTH = 4;
    /** The hub or the provider is unreachable, failing, throttled or not offering the feature yet. */
    public static final int UNAVAILABLE = 5;

    private ExitCode() {}

    /**
     * The exit code for a hub problem (RFC 9457 {@code type} slug and HTTP status), or for a plain
     * HTTP status when the slug is null or unknown.
     */
    public static int forProblem(String type, int status) {
        if (type != null) {
            switch (type) {
                case "provider-not-found", "dlq-entry-not-found", "not-found" -> {
                    return NOT_FOUND;
                }
                case "unauthorized", "forbidden", "tenant-mismatch" -> {
                    return AUTH;
                }
                case "forbidden-destination",
                        "validation",
                        "malformed-request",
                        "provider-name-taken",
                        "managed-by-operator",
                        "provider-disabled",
                        "dlq-entry-conflict",
                        "idempotency-conflict",
                        "idempotency-mismatch",
                        "precondition-failed",
                        "payload-too-large",
                        "unsupported-media-type",
                        "quota-exceeded",
                        "insecure-http-not-allowed" -> {
                    return CONFLICT;
                }
                case "rate-limited",
                        "concurrency-limited",
                        "provider-throttled",
                        "circuit-open",
                        "upstream-failed",
                        "upstream-timeout",
                        "deadline-exceeded",
                        "unavailable",
                        "internal" -> {
                    return UNAVAILABLE;
                }
                default -> {
                    // an unknown slug: judge by status
                }
            }
        }
        return forStatus(status);
    }

    /** The exit code for an HTTP status alone (an upstream answer relayed by {@code hubctl call}). */
    public static int forStatus(int status) {
        if (status < 400) {
            return OK;
        }
        if (status == 404 || status == 410) {
            return NOT_FOUND;
        }
        if (status == 401 || status == 403 || status == 407) {
            return AUTH;
        }
        if (status == 408 || status == 429 || status >= 500) {
            return UNAVAILABLE;
        }
        return CONFLICT;
    }
}
