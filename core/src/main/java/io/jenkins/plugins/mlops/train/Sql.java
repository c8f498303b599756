package io.jenkins.plugins.mlops.train;

/** Quoting for the few SQL texts the sampler builds from file paths, column names and label values. */
final class Sql {
    private Sql() {}

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
