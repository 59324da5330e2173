package io.integrationhub.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;

/**
 * Writes JSON (two-space indent, {@code "key": value}, like {@code jq .}) and YAML (block style, no
 * {@code ---}, quotes only where needed). Keys keep the hub's order, so the same data prints the
 * same bytes on every run.
 */
public final class Printer {
    /** JSON and YAML writers are built on first use, each on its own: a table run loads neither. */
    private static final class JsonWriter {
        static final ObjectWriter WRITER;

        static {
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                            .withObjectEmptySeparator("")
                            .withArrayEmptySeparator(""));
            pretty.indentArraysWith(indenter);
            pretty.indentObjectsWith(indenter);
            WRITER = new ObjectMapper().writer(pretty);
        }
    }

    private static final class YamlWriter {
        static final ObjectWriter WRITER = new ObjectMapper(YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                        .build())
                .writer();
    }

    private Printer() {}

    public static String json(JsonNode node) {
        try {
            return JsonWriter.WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    public static String yaml(JsonNode node) {
        try {
            return YamlWriter.WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written as YAML", e);
        }
    }

    /** Prints {@code node} as JSON or YAML; not for {@link OutputFormat#TABLE}. */
    public static void print(PrintWriter out, OutputFormat format, JsonNode node) {
        switch (format) {
            case JSON -> out.println(json(node));
            case YAML -> out.print(yaml(node));
            case TABLE -> throw new IllegalArgumentException("a table is printed by its command");
        }
        out.flush();
    }
}
