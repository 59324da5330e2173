package io.integrationhub.cli.error;

import static org.assertj.core.api.Assertions.assertThat;

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
