package io.integrationhub.dataplane.api;

import io.integrationhub.registry.problem.ProblemType;
import io.integrationhub.registry.validation.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error the hub answers on purpose, as problem+json of {@link #type()}. Stack traces are off:
 * these are outcomes, not bugs. Messages must never carry a secret or a request body.
 */
public final class ApiException extends RuntimeException {
    private final ProblemType type;
    private final List<FieldError> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public ApiException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ApiException(ProblemType type, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public static ApiException validation(String field, String message) {
        return new ApiException(
                ProblemType.VALIDATION, field + ": " + message, List.of(new FieldError(field, message)));
    }

    /** Adds a response header (e.g. Retry-After) to the problem answer. */
    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Adds a member to the problem document (e.g. {@code dlqEntryId}). */
    public ApiException extension(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
