package io.jenkins.plugins.mlops.io;

import java.nio.file.Path;
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

    /**
     * The literal that makes DuckDB's file readers read exactly {@code file}: they take every path
     * as a glob, so {@code d[1].csv} would read {@code d1.csv}. Each glob character is escaped as
     * a one-character class ({@code [[]}, {@code [*]}, {@code [?]}).
     */
    public static String fileLiteral(Path file) {
        return literal(globEscaped(file.toAbsolutePath().toString()));
    }

    public static String globEscaped(String path) {
        StringBuilder escaped = new StringBuilder(path.length() + 8);
        for (char c : path.toCharArray()) {
            if (c == '[' || c == '*' || c == '?') {
                escaped.append('[').append(c).append(']');
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** The path a DuckDB message names, with {@link #globEscaped} undone. */
    public static String globUnescaped(String text) {
        return text.replace("[[]", "[").replace("[*]", "*").replace("[?]", "?");
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
