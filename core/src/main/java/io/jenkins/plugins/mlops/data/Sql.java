package io.jenkins.plugins.mlops.data;

/** Quoting for the SQL mlops generates: every name and path from the user goes through here. */
final class Sql {
    private Sql() {}

    static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String literal(String text) {
        return '\'' + text.replace("'", "''") + '\'';
    }

    /** A DOUBLE literal that DuckDB reads back exactly (no DECIMAL rounding). */
    static String doubleLiteral(double value) {
        return "CAST(" + literal(Double.toString(value)) + " AS DOUBLE)";
    }
}
