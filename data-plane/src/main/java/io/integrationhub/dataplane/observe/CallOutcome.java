package io.integrationhub.dataplane.observe;

import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.Problems;
import io.integrationhub.registry.problem.ProblemType;
import java.util.Locale;

/**
 * How a call ended, as the {@code outcome} label: the provider answered ({@code success} below 400,
 * {@code client_error} for its 4xx verdict), an earlier answer was {@code replayed}, or the hub
 * answered a problem of a stable type ({@code rate_limited}, {@code circuit_open},
 * {@code upstream_failed}, {@code upstream_timeout}, {@code provider_not_found}...). The set is
 * bounded by {@link ProblemType}.
 */
public record CallOutcome(String label) {
    public static final CallOutcome SUCCESS = new CallOutcome("success");
    public static final CallOutcome CLIENT_ERROR = new CallOutcome("client_error");
    public static final CallOutcome REPLAYED = new CallOutcome("replayed");
    static final CallOutcome RATE_LIMITED = of(ProblemType.RATE_LIMITED);
    static final CallOutcome CONCURRENCY_LIMITED = of(ProblemType.CONCURRENCY_LIMITED);
    static final CallOutcome UPSTREAM_FAILED = of(ProblemType.UPSTREAM_FAILED);
    static final CallOutcome UPSTREAM_TIMEOUT = of(ProblemType.UPSTREAM_TIMEOUT);

    public static CallOutcome of(ProblemType type) {
        return new CallOutcome(type.name().toLowerCase(Locale.ROOT));
    }

    /** The provider answered with this status. */
    public static CallOutcome answered(int status) {
        return status < 400 ? SUCCESS : CLIENT_ERROR;
    }

    /** The call failed with this exception: its problem type, or {@code internal} for anything unexpected. */
    public static CallOutcome failed(Throwable e) {
        ApiException problem = e == null ? null : Problems.problem(e);
        return problem == null ? of(ProblemType.INTERNAL) : of(problem.type());
    }
}
