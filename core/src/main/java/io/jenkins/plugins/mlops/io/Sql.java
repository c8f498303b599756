package io.jenkins.plugins.mlops.io;

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

    /** A DOUBLE literal that DuckDB reads back exactly (no DECIMAL rounding). */
    public static String doubleLiteral(double value) {
        return "CAST(" + literal(Double.toString(value)) + " AS DOUBLE)";
    }
}
