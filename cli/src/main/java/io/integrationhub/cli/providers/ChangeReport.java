package io.integrationhub.cli.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.output.OutputOptions;
import java.io.PrintWriter;

/**
 * What a change prints: {@code provider/NAME created} (kubectl's wording) in table form, the
 * provider's resulting document with {@code -o json|yaml}.
 */
public final class ChangeReport {
    private ChangeReport() {}

    public static void print(PrintWriter out, OutputOptions output, String name, String action, JsonNode document) {
        if (output.isTable()) {
            out.println("provider/" + name + " " + action);
            out.flush();
        } else {
            output.document(out, document);
        }
    }
}
