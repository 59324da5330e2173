package io.integrationhub.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one database holds in the clear: every row of every table, each text, character, JSON and
 * bytea column (arrays of text too) searched for a secret in all its {@link CanaryForms}. A hit
 * names the table, column, row number and form, never the value.
 */
public record DatabaseScan(String database, Map<String, Long> rowsByTable, long values, List<String> hits) {
    private static final String COLUMNS = """
            SELECT c.table_schema, c.table_name, c.column_name, c.udt_name
              FROM information_schema.columns c
              JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE t.table_type = 'BASE TABLE'
               AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
               AND c.udt_name IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', 'bytea', '_text', '_varchar', 'xml')
             ORDER BY c.table_schema, c.table_name, c.ordinal_position""";

    public DatabaseScan {
        rowsByTable = Map.copyOf(rowsByTable);
        hits = List.copyOf(hits);
    }

    public int tables() {
        return rowsByTable.size();
    }

    public long rows() {
        return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Scans every table of the database behind {@code connection}; rows are counted by table (schema public left out). */
    public static DatabaseScan scan(String database, Connection connection, CanaryForms forms) throws SQLException {
        Map<String, List<String[]>> columnsByTable = new LinkedHashMap<>(); // "schema"."table" -> [column, type]
        try (Statement statement = connection.createStatement();
                ResultSet columns = statement.executeQuery(COLUMNS)) {
            while (columns.next()) {
                columnsByTable
                        .computeIfAbsent(
                                quote(columns.getString(1)) + "." + quote(columns.getString(2)), t -> new ArrayList<>())
                        .add(new String[] {columns.getString(3), columns.getString(4)});
            }
        }
        Map<String, Long> rowsByTable = new LinkedHashMap<>();
        long values = 0;
        List<String> hits = new ArrayList<>();
        for (Map.Entry<String, List<String[]>> table : columnsByTable.entrySet()) {
            String name = table.getKey().replace("\"", "").replaceFirst("^public\\.", "");
            StringBuilder select = new StringBuilder("SELECT ");
            for (int i = 0; i < table.getValue().size(); i++) {
                String[] column = table.getValue().get(i);
                select.append(i == 0 ? "" : ", ")
                        .append(quote(column[0]))
                        .append(column[1].equals("bytea") ? "" : "::text");
            }
            select.append(" FROM ").append(table.getKey());
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(500);
                try (ResultSet row = statement.executeQuery(select.toString())) {
                    int number = 0;
                    while (row.next()) {
                        number++;
                        for (int i = 0; i < table.getValue().size(); i++) {
                            String[] column = table.getValue().get(i);
                            Optional<String> form = column[1].equals("bytea")
                                    ? forms.foundIn(row.getBytes(i + 1))
                                    : forms.foundIn(row.getString(i + 1));
                            if (!row.wasNull()) {
                                values++;
                            }
                            int at = number;
                            form.ifPresent(f -> hits.add(
                                    database + ": " + name + "." + column[0] + " (row " + at + ", " + f + ")"));
                        }
                    }
                    rowsByTable.put(name, (long) number);
                }
            }
        }
        return new DatabaseScan(database, rowsByTable, values, hits);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
