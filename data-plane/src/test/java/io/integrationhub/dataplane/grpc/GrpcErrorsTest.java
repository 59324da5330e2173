package io.integrationhub.dataplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.integrationhub.registry.problem.ProblemType;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one map from problem types to gRPC codes: complete, and the codes gRPC clients act on. */
class GrpcErrorsTest {
    @Test
    void everyProblemTypeHasACodeAndNoneIsOkOrUnknown() {
        assertThat(Arrays.stream(ProblemType.values()).map(GrpcErrors::code))
                .doesNotContain(Status.Code.OK, Status.Code.UNKNOWN);
    }

    @Test
    void theCodesFollowGooglesHttpMapping() {
        Map<ProblemType, Status.Code> expected = Map.ofEntries(
                Map.entry(ProblemType.MALFORMED_REQUEST, Status.Code.INVALID_ARGUMENT),
                Map.entry(ProblemType.VALIDATION, Status.Code.INVALID_ARGUMENT),
                Map.entry(ProblemType.IDEMPOTENCY_MISMATCH, Status.Code.INVALID_ARGUMENT),
                Map.entry(ProblemType.UNAUTHORIZED, Status.Code.UNAUTHENTICATED),
                Map.entry(ProblemType.FORBIDDEN, Status.Code.PERMISSION_DENIED),
                Map.entry(ProblemType.TENANT_MISMATCH, Status.Code.PERMISSION_DENIED),
                Map.entry(ProblemType.FORBIDDEN_DESTINATION, Status.Code.PERMISSION_DENIED),
                Map.entry(ProblemType.PROVIDER_NOT_FOUND, Status.Code.NOT_FOUND),
                Map.entry(ProblemType.DLQ_ENTRY_NOT_FOUND, Status.Code.NOT_FOUND),
                Map.entry(ProblemType.PROVIDER_NAME_TAKEN, Status.Code.ALREADY_EXISTS),
                Map.entry(ProblemType.MANAGED_BY_OPERATOR, Status.Code.FAILED_PRECONDITION),
                Map.entry(ProblemType.PROVIDER_DISABLED, Status.Code.FAILED_PRECONDITION),
                Map.entry(ProblemType.DLQ_ENTRY_CONFLICT, Status.Code.FAILED_PRECONDITION),
                Map.entry(ProblemType.PRECONDITION_FAILED, Status.Code.FAILED_PRECONDITION),
                Map.entry(ProblemType.IDEMPOTENCY_CONFLICT, Status.Code.ABORTED),
                Map.entry(ProblemType.RATE_LIMITED, Status.Code.RESOURCE_EXHAUSTED),
                Map.entry(ProblemType.CONCURRENCY_LIMITED, Status.Code.RESOURCE_EXHAUSTED),
                Map.entry(ProblemType.PROVIDER_THROTTLED, Status.Code.RESOURCE_EXHAUSTED),
                Map.entry(ProblemType.PAYLOAD_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED),
                Map.entry(ProblemType.CIRCUIT_OPEN, Status.Code.UNAVAILABLE),
                Map.entry(ProblemType.UPSTREAM_FAILED, Status.Code.UNAVAILABLE),
                Map.entry(ProblemType.UPSTREAM_TIMEOUT, Status.Code.DEADLINE_EXCEEDED),
                Map.entry(ProblemType.DEADLINE_EXCEEDED, Status.Code.DEADLINE_EXCEEDED),
                Map.entry(ProblemType.ANSWER_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED),
                Map.entry(ProblemType.IDEMPOTENT_ANSWER_NOT_KEPT, Status.Code.FAILED_PRECONDITION),
                Map.entry(ProblemType.OVERLOADED, Status.Code.UNAVAILABLE),
                Map.entry(ProblemType.INTERNAL, Status.Code.INTERNAL));
        expected.forEach((type, code) ->
                assertThat(GrpcErrors.code(type)).as(type.name()).isEqualTo(code));
    }

    @Test
    void anUnexpectedFailureIsInternalWithOnlyAnErrorId() {
        var status = GrpcErrors.toStatus(new IllegalStateException("db password is hunter2"), "Test");
        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getStatus().getDescription())
                .startsWith("unexpected error; quote error id ")
                .doesNotContain("hunter2");
    }
}
