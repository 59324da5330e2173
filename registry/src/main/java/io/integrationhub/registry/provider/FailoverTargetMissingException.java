package io.integrationhub.registry.provider;

import io.integrationhub.registry.validation.FieldError;
import io.integrationhub.registry.validation.ValidationException;
import java.util.List;

/**
 * A provider's failover route names a provider that does not exist in its tenant. The only rule the
 * registry adds to a spec that passed validation, and one the operator waits out (the target may be
 * applied next) rather than treats as an error; the API answers it 422 like any other field error.
 */
public final class FailoverTargetMissingException extends ValidationException {
    public FailoverTargetMissingException(List<FieldError> missing) {
        super(missing);
    }
}
