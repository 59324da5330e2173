package io.integrationhub.cli.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.registry.problem.ProblemType;
import org.junit.jupiter.api.Test;

class ExitCodeTest {
    @Test
    void problemTypesDecideBeforeStatuses() {
        assertThat(ExitCode.forProblem("provider-not-found", 404)).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(ExitCode.forProblem("tenant-mismatch", 403)).isEqualTo(ExitCode.AUTH);
        assertThat(ExitCode.forProblem("forbidden-destination", 403)).isEqualTo(ExitCode.CONFLICT);
        assertThat(ExitCode.forProblem("precondition-failed", 412)).isEqualTo(ExitCode.CONFLICT);
        assertThat(ExitCode.forProblem("managed-by-operator", 409)).isEqualTo(ExitCode.CONFLICT);
        assertThat(ExitCode.forProblem("idempotency-mismatch", 422)).isEqualTo(ExitCode.CONFLICT);
        assertThat(ExitCode.forProblem("rate-limited", 429)).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(ExitCode.forProblem("circuit-open", 503)).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(ExitCode.forProblem("upstream-timeout", 504)).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(ExitCode.forProblem("deadline-exceeded", 504)).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(ExitCode.forProblem("something-new", 409)).isEqualTo(ExitCode.CONFLICT);
        assertThat(ExitCode.forProblem(null, 500)).isEqualTo(ExitCode.UNAVAILABLE);
    }

    @Test
    void everyTypeMapsAsItsOwnStatusWouldUnlessItSaysMore() {
        // Before the exhaustive switch, types without a case of their own fell back to their status: they still do.
        for (ProblemType type : ProblemType.values()) {
            int byType = ExitCode.forProblem(type.slug(), type.status());
            switch (type) {
                case FORBIDDEN_DESTINATION, INSECURE_HTTP_NOT_ALLOWED, QUOTA_EXCEEDED ->
                    assertThat(byType).as(type.slug()).isEqualTo(ExitCode.CONFLICT); // 403, yet not about credentials
                default -> assertThat(byType).as(type.slug()).isEqualTo(ExitCode.forStatus(type.status()));
            }
        }
    }

    @Test
    void statusesAlone() {
        assertThat(ExitCode.forStatus(204)).isEqualTo(ExitCode.OK);
        assertThat(ExitCode.forStatus(302)).isEqualTo(ExitCode.OK);
        assertThat(ExitCode.forStatus(404)).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(ExitCode.forStatus(401)).isEqualTo(ExitCode.AUTH);
        assertThat(ExitCode.forStatus(400)).isEqualTo(ExitCode.CONFLICT);
        assertThat(ExitCode.forStatus(429)).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(ExitCode.forStatus(503)).isEqualTo(ExitCode.UNAVAILABLE);
    }
}
