package io.integrationhub.crds.admission;

import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;

/**
 * One refused field, as the API server's {@code field.Error}: the path, a cause reason
 * ({@code FieldValueInvalid}, {@code FieldValueRequired}, ...) and the detail after the path.
 */
public record FieldError(String field, String reason, String detail) {
    /** The line the API server prints for it, e.g. {@code spec.baseUrl: Required value}. */
    @Override
    public String toString() {
        return field + ": " + detail;
    }

    StatusCause toCause() {
        return new StatusCauseBuilder()
                .withField(field)
                .withReason(reason)
                .withMessage(detail)
                .build();
    }

    static FieldError required(String field) {
        return new FieldError(field, "FieldValueRequired", "Required value");
    }

    static FieldError invalid(String field, String shownValue, String why) {
        return new FieldError(field, "FieldValueInvalid", "Invalid value: " + shownValue + ": " + why);
    }

    static FieldError notSupported(String field, String shownValue, String supported) {
        return new FieldError(
                field,
                "FieldValueNotSupported",
                "Unsupported value: " + shownValue + ": supported values: " + supported);
    }

    static FieldError typeInvalid(String field, String shownValue, String why) {
        return new FieldError(field, "FieldValueTypeInvalid", "Invalid value: " + shownValue + ": " + why);
    }

    static FieldError tooLong(String field, long max) {
        return new FieldError(field, "FieldValueTooLong", "Too long: may not be more than " + max + " bytes");
    }

    static FieldError tooMany(String field, int actual, long max) {
        return new FieldError(
                field, "FieldValueTooMany", "Too many: " + actual + ": must have at most " + max + " items");
    }
}
