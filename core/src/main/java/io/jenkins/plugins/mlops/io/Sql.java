package io.jenkins.plugins.mlops.io;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quoting for the DuckDB SQL the steps generate: every column name, path and value from the user
 * goes through here, so a quote in a file name or a column cannot change a query.
 */
public final class Sql {
    private Sql() {}

    public static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    public static String literal(String text) {
        return '\'' + text.replace("'", "''") + '\'';
    }

    /** A list of string literals, e.g. {@code ['a', 'b']}. */
    public static String list(List<String> texts) {
        return texts.stream().map(Sql::literal).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A DOUBLE literal that DuckDB reads back exactly (no DECIMAL rounding). */
    public static String doubleLiteral(double value) {
        return "CAST(" + literal(Double.toString(value)) + " AS DOUBLE)";
    }
}
