package io.integrationhub.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code -o} and {@code --no-headers}, shared by every command that prints data. */
public final class OutputOptions {
    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            completionCandidates = OutputFormat.Names.class,
            converter = FormatConverter.class,
            description =
                    "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). json and yaml are stable for scripts.")
    OutputFormat format = OutputFormat.TABLE;

    @Option(names = "--no-headers", description = "Leave out the table's header row.")
    boolean noHeaders;

    public OutputFormat format() {
        return format;
    }

    public boolean isTable() {
        return format == OutputFormat.TABLE;
    }

    /** Prints a table (honouring {@code --no-headers}). */
    public void table(PrintWriter out, Table table) {
        table.print(out, !noHeaders);
    }

    /** Prints a document as JSON or YAML. */
    public void document(PrintWriter out, JsonNode node) {
        Printer.print(out, format, node);
    }

    /** Accepts the format in any case ({@code json}, {@code JSON}). */
    public static final class FormatConverter implements picocli.CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not one of table, json, yaml");
            }
        }
    }
}
