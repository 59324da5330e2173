package io.integrationhub.registry.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A document broke one or more rules; carries every offending field, not just the first. Open for
 * subtypes that name one rule a caller must tell apart (the registry's missing failover target).
 */
public class ValidationException extends RuntimeException {
    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(
                errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")),
                null,
                false,
                false);
        this.errors = List.copyOf(errors);
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
