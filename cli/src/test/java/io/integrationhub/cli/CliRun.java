package io.integrationhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.http.Json;
import java.io.IOException;
import java.util.List;

/** What one hubctl run did: its exit code, stdout and stderr. */
public record CliRun(int exitCode, String out, String err) {
    public JsonNode json() {
        try {
            return Json.mapper().readTree(out);
        } catch (IOException e) {
            throw new AssertionError("stdout is not JSON:\n" + out + "\nstderr:\n" + err, e);
        }
    }

    public List<String> outLines() {
        return out.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
