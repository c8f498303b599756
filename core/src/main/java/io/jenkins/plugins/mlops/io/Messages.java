package io.jenkins.plugins.mlops.io;

/** What a person reads of a library's error message. */
public final class Messages {
    private Messages() {}

    /**
     * The first line of {@code message}: DuckDB's, Spark's and Jackson's messages go on with reader options,
     * server stack traces or a quoted source, none of which a person needs.
     */
    public static String firstLine(String message) {
        return message == null || message.isBlank() ? "unknown error" : message.strip().lines().findFirst().orElseThrow();
    }
}
