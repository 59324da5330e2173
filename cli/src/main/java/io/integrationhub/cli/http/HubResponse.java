package io.integrationhub.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Optional;

/** An answer of the hub: status, headers and the body's bytes. */
public record HubResponse(int status, HttpHeaders headers, byte[] body) {
    public static final String PROBLEM_JSON = "application/problem+json";

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Whether the hub itself made this answer (as opposed to relaying a provider's). */
    public boolean fromHub() {
        return header("X-Integration-Source").map("hub"::equalsIgnoreCase).orElse(true);
    }

    public boolean isProblem() {
        return header("Content-Type")
                .map(type -> type.toLowerCase(java.util.Locale.ROOT).startsWith(PROBLEM_JSON))
                .orElse(false);
    }

    /** The body as JSON; a hub answer that is not JSON is a hub failure. */
    public JsonNode json() {
        return Json.tryParse(body)
                .orElseThrow(() -> HubctlException.unavailable(
                        "the hub answered HTTP " + status + " with a body that is not JSON", null));
    }

    /** This answer as an exception: the problem it carries, or a plain one naming the status. */
    public HubctlException failure() {
        if (isProblem()) {
            Optional<JsonNode> doc = Json.tryParse(body);
            if (doc.isPresent() && doc.get().isObject()) {
                return new ProblemException(Problem.of(doc.get(), status));
            }
        }
        return new HubctlException(
                ExitCode.forStatus(status),
                "the hub answered HTTP " + status + " without a problem document",
                List.of(),
                null,
                null);
    }

    /** Throws {@link #failure()} unless the status is 2xx. */
    public HubResponse requireSuccess() {
        if (!isSuccess()) {
            throw failure();
        }
        return this;
    }
}
