package io.integrationhub.cli.http;

import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hub refused or failed a request: shown as the problem's summary, one line per offending field
 * and a hint naming the command that helps; {@code -v} adds the whole problem document.
 */
public final class ProblemException extends HubctlException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(
                ExitCode.forProblem(problem.type(), problem.status()),
                problem.summary(),
                details(problem),
                problem.document() == null ? null : problem.document().toPrettyString(),
                null);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    private static List<String> details(Problem problem) {
        List<String> lines = new ArrayList<>();
        problem.errors().forEach(error -> lines.add(error.field() + ": " + error.message()));
        if (problem.dlqEntryId() != null) {
            lines.add("the request was parked in the dead letter queue as " + problem.dlqEntryId() + " (hubctl dlq get "
                    + problem.dlqEntryId() + ")");
        }
        String hint = hint(problem.type());
        if (hint != null) {
            lines.add(hint);
        }
        return lines;
    }

    private static String hint(String type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "unauthorized" -> "hint: check the context's token ('hubctl config view'); it may have expired";
            case "tenant-mismatch" ->
                "hint: the tenant of the context or document is not the token's ('hubctl config view')";
            case "forbidden" -> "hint: ask for a token with the scope named above";
            case "provider-not-found" -> "hint: 'hubctl providers list' shows the tenant's providers";
            case "dlq-entry-not-found" -> "hint: 'hubctl dlq list' shows the tenant's dead letters";
            case "precondition-failed" -> "hint: the provider changed since it was read; run the command again";
            default -> null;
        };
    }
}
