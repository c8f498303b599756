package io.jenkins.plugins.mlops.ingest;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.NamedSql;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The user's query as it is sent: wrapped as the subquery of {@code SELECT * FROM (...)}, so
 * that the database's grammar accepts nothing but one SELECT there, with each {@code :name} a
 * JDBC parameter. Every {@code :name} must have a {@code --param} and every {@code --param} a
 * {@code :name}: a typo in either is bad input before anything runs, not a silently wider window.
 *
 * @param text the query as the user wrote it, recorded in the lineage
 * @param sql what is prepared
 * @param names the parameter of each {@code ?}, in order
 * @param values the bound values, by name
 */
record WarehouseQuery(String text, String sql, List<String> names, SortedMap<String, String> values) {
    private static final long MAX_QUERY_BYTES = 1 << 20;

    static WarehouseQuery of(IngestParameters parameters, Path workspace) {
        String text = parameters.query() != null ? parameters.query() : read(workspace.resolve(parameters.queryFile()));
        String what = parameters.query() != null ? "--query" : "--query-file " + parameters.queryFile();
        String trimmed = text.strip();
        if (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isBlank()) {
            throw new BadInputException(what + ": the query is empty");
        }
        NamedSql named = NamedSql.parse(trimmed, parameters.param().keySet(), what);
        TreeSet<String> unused = new TreeSet<>(parameters.param().keySet());
        named.names().forEach(unused::remove);
        if (!unused.isEmpty()) {
            throw new BadInputException("--param " + String.join(", ", unused) + ": the query has no :"
                    + String.join(", :", unused) + " (a misspelt parameter would leave the window unbounded)");
        }
        // The text ends on its own line, so a trailing -- comment cannot swallow the closing parenthesis.
        String sql = "SELECT * FROM (\n" + named.sql() + "\n) AS mlops_ingest";
        return new WarehouseQuery(text.strip(), sql, named.names(), new TreeMap<>(parameters.param()));
    }

    /** Binds the values as text that the server converts to the compared column's type (stringtype=unspecified). */
    void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            statement.setString(i + 1, values.get(names.get(i)));
        }
    }

    Map<String, String> parameters() {
        return values;
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > MAX_QUERY_BYTES) {
                throw new BadInputException("--query-file " + file + ": larger than 1 MiB; a query, not data");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--query-file " + file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException("--query-file " + file + ": cannot read it: " + e.getMessage(), e);
        }
    }
}
