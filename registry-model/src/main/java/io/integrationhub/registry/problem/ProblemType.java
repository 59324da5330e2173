package io.integrationhub.registry.problem;

/**
 * The stable {@code type} of every error the hub answers (RFC 9457). Clients and hubctl match on
 * {@link #slug()}, so a slug never changes once published. It lives in the model, not the data plane,
 * so that hubctl maps every type to an exit code with an exhaustive switch: a new type fails its build
 * until it has one.
 */
public enum ProblemType {
    MALFORMED_REQUEST(400, "Malformed request"),
    UNAUTHORIZED(401, "Authentication required"),
    FORBIDDEN(403, "Forbidden"),
    FORBIDDEN_DESTINATION(403, "Forbidden destination"),
    TENANT_MISMATCH(403, "Tenant mismatch"),
    /** A provider with a plain-http URL while INTEGRATION_ALLOW_INSECURE_HTTP is not true. */
    INSECURE_HTTP_NOT_ALLOWED(403, "Insecure HTTP not allowed"),
    /** The tenant has INTEGRATION_MAX_PROVIDERS_PER_TENANT providers already. */
    QUOTA_EXCEEDED(403, "Quota exceeded"),
    NOT_FOUND(404, "Not found"),
    PROVIDER_NOT_FOUND(404, "Provider not found"),
    DLQ_ENTRY_NOT_FOUND(404, "Dead letter not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    PROVIDER_NAME_TAKEN(409, "Provider name taken"),
    /** Deleting or renaming a provider that another provider's failover route names. */
    PROVIDER_IN_ROUTE(409, "Provider is a failover target"),
    MANAGED_BY_OPERATOR(409, "Managed by the operator"),
    PROVIDER_DISABLED(409, "Provider disabled"),
    IDEMPOTENCY_CONFLICT(409, "Idempotency key in use"),
    DLQ_ENTRY_CONFLICT(409, "Dead letter in another state"),
    /** A replay of a completed call whose answer was too large to keep: the original status and headers only. */
    IDEMPOTENT_ANSWER_NOT_KEPT(410, "Idempotent answer not kept"),
    PRECONDITION_FAILED(412, "Precondition failed"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    VALIDATION(422, "Validation failed"),
    IDEMPOTENCY_MISMATCH(422, "Idempotency key reused for another request"),
    RATE_LIMITED(429, "Rate limited"),
    CONCURRENCY_LIMITED(429, "Concurrency limited"),
    PROVIDER_THROTTLED(429, "Provider throttled"),
    INTERNAL(500, "Internal error"),
    UPSTREAM_FAILED(502, "Upstream failed"),
    /** The provider answered more than a unary API can carry (gRPC's Call); the REST routes stream it. */
    ANSWER_TOO_LARGE(502, "Answer too large for this API"),
    CIRCUIT_OPEN(503, "Circuit open"),
    UNAVAILABLE(503, "Service unavailable"),
    /** This instance's memory budget for bodies in flight is spent: come back shortly. */
    OVERLOADED(503, "Overloaded"),
    UPSTREAM_TIMEOUT(504, "Upstream timed out"),
    /**
     * The caller's deadline (X-Integration-Timeout-Ms, timeoutMs, the gRPC deadline) passed before an
     * answer: nothing is parked, the caller decides what happens next.
     */
    DEADLINE_EXCEEDED(504, "Deadline exceeded");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    /** The {@code type} member: a relative URI reference such as {@code provider-not-found}. */
    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The type whose {@link #slug()} is {@code slug}, if the hub has one (a newer hub may answer others). */
    public static java.util.Optional<ProblemType> ofSlug(String slug) {
        for (ProblemType type : values()) {
            if (type.slug().equals(slug)) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
