package io.integrationhub.cli.error;

import io.integrationhub.registry.problem.ProblemType;

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
     * HTTP status when the slug is null or one this hubctl does not know (a newer hub's).
     */
    public static int forProblem(String type, int status) {
        return type == null
                ? forStatus(status)
                : ProblemType.ofSlug(type).map(ExitCode::forType).orElseGet(() -> forStatus(status));
    }

    /** The exit code for each problem type: exhaustive, so a type added to the hub fails this build until it has one. */
    public static int forType(ProblemType type) {
        return switch (type) {
            case PROVIDER_NOT_FOUND, DLQ_ENTRY_NOT_FOUND, NOT_FOUND, IDEMPOTENT_ANSWER_NOT_KEPT -> NOT_FOUND;
            case UNAUTHORIZED, FORBIDDEN, TENANT_MISMATCH -> AUTH;
            case FORBIDDEN_DESTINATION,
                    VALIDATION,
                    MALFORMED_REQUEST,
                    METHOD_NOT_ALLOWED,
                    PROVIDER_NAME_TAKEN,
                    PROVIDER_IN_ROUTE,
                    MANAGED_BY_OPERATOR,
                    PROVIDER_DISABLED,
                    DLQ_ENTRY_CONFLICT,
                    IDEMPOTENCY_CONFLICT,
                    IDEMPOTENCY_MISMATCH,
                    PRECONDITION_FAILED,
                    PAYLOAD_TOO_LARGE,
                    UNSUPPORTED_MEDIA_TYPE,
                    QUOTA_EXCEEDED,
                    INSECURE_HTTP_NOT_ALLOWED -> CONFLICT;
            case RATE_LIMITED,
                    CONCURRENCY_LIMITED,
                    PROVIDER_THROTTLED,
                    CIRCUIT_OPEN,
                    UPSTREAM_FAILED,
                    UPSTREAM_TIMEOUT,
                    DEADLINE_EXCEEDED,
                    ANSWER_TOO_LARGE,
                    UNAVAILABLE,
                    OVERLOADED,
                    INTERNAL -> ExitCode.UNAVAILABLE;
        };
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
