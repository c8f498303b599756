package io.jenkins.plugins.mlops.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Writes test datasets: small ones as text, large ones generated inside DuckDB (COPY ... TO). */
final class TestData {
    private TestData() {}

    static Path write(Path dir, String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code COPY (query) TO file}, e.g. to make Parquet or JSON lines from a CSV. */
    static Path copy(String query, Path file, String options) {
        return copy(query, file, options, 0.5);
    }

    static Path copy(String query, Path file, String options, double seed) {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 1"); // one thread: the same seed gives the same rows
            statement.execute("SELECT setseed(" + seed + ")");
            statement.execute("COPY (" + query + ") TO '" + file.toString().replace("'", "''") + "' (" + options + ")");
            return file;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write test data " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A churn-like table of {@code rows} rows generated from {@code seed}: a sequential key, normal
     * age and income (income shifted by {@code incomeShift} standard deviations), a plan whose
     * "pro" share grows by {@code proShare}, and an exponential count.
     */
    static String churnQuery(long rows, double incomeShift, double proShare) {
        String normal = "sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())";
        return "SELECT i AS customer_id, "
                + "CAST(round(40 + 12 * " + normal + ") AS INTEGER) AS age, "
                + "50000 + 15000 * (" + normal + " + " + incomeShift + ") AS income, "
                + "CASE WHEN random() < " + (0.2 + proShare) + " THEN 'pro' WHEN random() < 0.5 THEN 'plus' ELSE 'basic' END AS plan, "
                + "CAST(floor(-ln(1 - random()) * 2) AS INTEGER) AS support_calls "
                + "FROM range(" + rows + ") t(i)";
    }

    static Path churn(Path file, long rows, double seed, double incomeShift, double proShare) {
        String format = file.toString().endsWith(".parquet") ? "FORMAT parquet" : "HEADER, DELIMITER ','";
        return copy(churnQuery(rows, incomeShift, proShare), file, format, seed);
    }
}
