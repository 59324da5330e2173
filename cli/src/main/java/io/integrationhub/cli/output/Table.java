package io.integrationhub.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A kubectl-style table: no borders, upper-case headers, columns left-aligned and three spaces
 * apart, no trailing blanks. An absent (null) value is shown as {@code <none>}.
 */
public final class Table {
    public static final String NONE = "<none>";
    private static final String GAP = "   ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> headers) {
        this.headers = headers.stream().map(h -> h.toUpperCase(Locale.ROOT)).toList();
    }

    public static Table withHeaders(String... headers) {
        return new Table(List.of(headers));
    }

    public static Table withHeaders(List<String> headers) {
        return new Table(headers);
    }

    /** Adds a row; {@code null} cells show as {@value #NONE}, empty ones stay blank, line breaks become spaces. */
    public Table row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException(
                    "a row has " + cells.size() + " cells, the table " + headers.size() + " columns");
        }
        rows.add(cells.stream().map(Table::cell).toList());
        return this;
    }

    public Table row(String... cells) {
        return row(java.util.Arrays.asList(cells));
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out, boolean withHeaders) {
        int[] widths = new int[headers.size()];
        List<List<String>> lines = new ArrayList<>();
        if (withHeaders) {
            lines.add(headers);
        }
        lines.addAll(rows);
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                text.append(cell);
                if (i < line.size() - 1) {
                    text.append(" ".repeat(widths[i] - cell.length())).append(GAP);
                }
            }
            out.println(text.toString().stripTrailing());
        }
        out.flush();
    }

    private static String cell(String value) {
        if (value == null) {
            return NONE;
        }
        return value.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
}
