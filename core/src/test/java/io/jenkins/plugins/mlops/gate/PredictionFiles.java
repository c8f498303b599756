package io.jenkins.plugins.mlops.gate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Writes small prediction files for the gate's tests (CSV, and Parquet / JSON lines through DuckDB). */
final class PredictionFiles {
    private PredictionFiles() {}

    /** A CSV with this header and these rows (values written as given, so "nan" or "" stay as text). */
    static Path csv(Path file, String header, List<String> rows) {
        List<String> lines = new ArrayList<>();
        lines.add(header);
        lines.addAll(rows);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Converts a CSV into Parquet or JSON lines (by the target's extension) with DuckDB. */
    static Path convert(Path csv, Path target) {
        String format = target.toString().endsWith(".parquet") ? "parquet" : "json";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
            sql.execute("COPY (SELECT * FROM read_csv('" + csv + "', header = true)) TO '" + target + "' (FORMAT " + format + ")");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return target;
    }

    /**
     * A regression hold-out: label y ~ N(50, 10), baseline and candidate predictions with the
     * given noise, a region column (every 10th row "small", the rest alternating eu/us); the
     * candidate's predictions on "us" are off by {@code usBias} more, so slice rules have something to find.
     * Returns {baseline.csv, candidate.csv}; the candidate's rows are shuffled when asked.
     */
    static Path[] regression(Path dir, int rows, double baselineNoise, double candidateNoise, double usBias, long seed,
            boolean shuffle) {
        Random random = new Random(seed);
        List<String> baseline = new ArrayList<>();
        List<String> candidate = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double y = 50 + random.nextGaussian() * 10;
            String region = i % 10 == 0 ? "small" : i % 2 == 0 ? "eu" : "us";
            double extra = region.equals("us") ? usBias : 0;
            baseline.add(String.format(Locale.ROOT, "%d,%.6f,%.6f", i, y, y + random.nextGaussian() * baselineNoise));
            candidate.add(String.format(Locale.ROOT, "%d,%.6f,%.6f,%s", i, y,
                    y + random.nextGaussian() * candidateNoise + extra, region));
        }
        if (shuffle) {
            Collections.shuffle(candidate, new Random(seed + 1));
        }
        return new Path[] {csv(dir.resolve("baseline.csv"), "id,y,pred", baseline),
            csv(dir.resolve("candidate.csv"), "id,y,pred,region", candidate)};
    }

    /** A binary hold-out with scores; the candidate separates the classes by {@code candidateShift}. */
    static Path[] binary(Path dir, int rows, double baselineShift, double candidateShift, long seed) {
        Random random = new Random(seed);
        List<String> baseline = new ArrayList<>();
        List<String> candidate = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int y = random.nextDouble() < 0.4 ? 1 : 0;
            double b = clamp(0.4 + baselineShift * (y - 0.4) + random.nextGaussian() * 0.2);
            double c = clamp(0.4 + candidateShift * (y - 0.4) + random.nextGaussian() * 0.2);
            baseline.add(String.format(Locale.ROOT, "%d,%d,%d,%.4f", i, y, b >= 0.5 ? 1 : 0, b));
            candidate.add(String.format(Locale.ROOT, "%d,%d,%d,%.4f", i, y, c >= 0.5 ? 1 : 0, c));
        }
        return new Path[] {csv(dir.resolve("baseline.csv"), "id,y,pred,proba", baseline),
            csv(dir.resolve("candidate.csv"), "id,y,pred,proba", candidate)};
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }
}
