package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.DuckDb;
import io.jenkins.plugins.mlops.io.DuckDbErrors;
import io.jenkins.plugins.mlops.io.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Takes the smoke test's sample with DuckDB, which scans CSV, Parquet and JSON files larger than
 * memory: a reservoir sample with a fixed seed, or, with a label column, a stratified one that
 * keeps every class (a sample without a class is a classic way for a smoke test to pass while the
 * real run fails). The sample is written in the source's format family.
 */
public final class DataSampler {
    /** Label values seen in the sample are keyed by their text; SQL NULL gets a name of its own. */
    static final String NULL_LABEL = "(null)";

    private DataSampler() {}

    /**
     * @param targetDir where the sample file goes (created when missing)
     * @return the sample's description; the file is {@link #samplePath(Path, Path)}
     */
    public static DataSample sample(Path data, long rows, String labelColumn, long seed, Path targetDir) {
        if (!Files.isRegularFile(data)) {
            throw new BadInputException(data + ": no such data file");
        }
        if (rows < 1) {
            throw new BadInputException("--rows must be at least 1, was " + rows);
        }
        SampleFormat format = SampleFormat.of(data);
        Path target = samplePath(data, targetDir);
        try (Connection db = DuckDb.open(); Statement sql = db.createStatement()) {
            String scan = format.scan(data);
            List<String> columns = columns(sql, scan, data);
            long sourceRows = count(sql, "SELECT count(*) FROM " + scan);
            if (sourceRows == 0) {
                throw new BadInputException(data + ": has no rows to sample");
            }
            Map<String, Long> perLabel = new LinkedHashMap<>();
            String query;
            if (labelColumn == null) {
                // REPEATABLE gives the same rows for the same seed and data: a failure reproduces.
                query = "SELECT * FROM " + scan + " USING SAMPLE reservoir(" + rows + " ROWS) REPEATABLE (" + seed + ")";
            } else {
                if (!columns.contains(labelColumn)) {
                    throw new BadInputException(data + ": --label column '" + labelColumn + "' not found; columns are "
                            + String.join(", ", columns));
                }
                Map<String, Long> quotas = Quotas.proportional(labelCounts(sql, scan, labelColumn), rows, data, labelColumn);
                query = stratified(scan, columns, labelColumn, quotas, seed);
                perLabel.putAll(quotas);
            }
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".sample", format.extension());
            Files.delete(temp);
            try {
                sql.execute("COPY (" + query + ") TO " + Sql.literal(temp.toString()) + " (" + format.copyOptions() + ")");
                AtomicFiles.move(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
            long sampled = count(sql, "SELECT count(*) FROM " + format.scan(target));
            return new DataSample(data.toString(), sourceRows, sampled, labelColumn, perLabel, seed);
        } catch (SQLException e) {
            throw DuckDbErrors.translate(e, data.toString(), List.of(data), format.dataFormat());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample into " + targetDir, e);
        }
    }

    /** The sample file for {@code data} in {@code targetDir}: {@code sample} plus the format's extension. */
    public static Path samplePath(Path data, Path targetDir) {
        return targetDir.resolve("sample" + SampleFormat.of(data).extension());
    }

    private static String stratified(String scan, List<String> columns, String labelColumn, Map<String, Long> quotas,
            long seed) {
        String label = Sql.identifier(labelColumn);
        // A hash of the seed and the whole row orders each class randomly but repeatably, on any number of threads.
        String order = "hash(" + seed + ", " + columns.stream().map(Sql::identifier).collect(Collectors.joining(", ")) + ")";
        String quotaRows = quotas.entrySet().stream()
                .map(e -> "(" + (e.getKey().equals(NULL_LABEL) ? "NULL" : Sql.literal(e.getKey())) + ", " + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return "SELECT r.* EXCLUDE (__mlops_rank, __mlops_order) FROM ("
                + "SELECT *, " + order + " AS __mlops_order, row_number() OVER (PARTITION BY " + label
                + " ORDER BY " + order + ") AS __mlops_rank FROM " + scan + ") r"
                + " JOIN (VALUES " + quotaRows + ") q(label, quota)"
                + " ON CAST(r." + label + " AS VARCHAR) IS NOT DISTINCT FROM q.label"
                + " WHERE r.__mlops_rank <= q.quota ORDER BY r.__mlops_order";
    }

    private static Map<String, Long> labelCounts(Statement sql, String scan, String labelColumn) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        String label = Sql.identifier(labelColumn);
        try (ResultSet rs = sql.executeQuery("SELECT CAST(" + label + " AS VARCHAR), count(*) FROM " + scan
                + " GROUP BY 1 ORDER BY 1 NULLS LAST")) {
            while (rs.next()) {
                String value = rs.getString(1);
                counts.put(value == null ? NULL_LABEL : value, rs.getLong(2));
            }
        }
        return counts;
    }

    private static List<String> columns(Statement sql, String scan, Path data) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("DESCRIBE SELECT * FROM " + scan)) {
            while (rs.next()) {
                columns.add(rs.getString("column_name"));
            }
        }
        if (columns.isEmpty()) {
            throw new BadInputException(data + ": has no columns");
        }
        return columns;
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }


    /** Splits a sample size over the classes in proportion to their frequency. */
    static final class Quotas {
        private Quotas() {}

        /**
         * Largest-remainder allocation in proportion to each class's rows, then at least one row for
         * every class (taken from the largest), so the script sees every label the real run sees.
         */
        static Map<String, Long> proportional(Map<String, Long> counts, long rows, Path data, String labelColumn) {
            if (counts.size() > rows) {
                throw new BadInputException(data + ": --label column '" + labelColumn + "' has " + counts.size()
                        + " distinct values, more than --rows " + rows + "; stratify by a class column or take more rows");
            }
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            long target = Math.min(rows, total);
            Map<String, Long> quotas = new LinkedHashMap<>();
            Map<String, Double> remainders = new LinkedHashMap<>();
            long assigned = 0;
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                double exact = (double) target * e.getValue() / total;
                quotas.put(e.getKey(), (long) Math.floor(exact));
                remainders.put(e.getKey(), exact - Math.floor(exact));
                assigned += (long) Math.floor(exact);
            }
            List<String> byRemainder = new ArrayList<>(remainders.keySet());
            byRemainder.sort(Comparator.comparingDouble((String k) -> remainders.get(k)).reversed());
            for (int i = 0; assigned < target; i = (i + 1) % byRemainder.size()) {
                String key = byRemainder.get(i);
                if (quotas.get(key) < counts.get(key)) {
                    quotas.merge(key, 1L, Long::sum);
                    assigned++;
                }
            }
            for (String key : List.copyOf(quotas.keySet())) {
                if (quotas.get(key) == 0) {
                    String largest = quotas.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                    quotas.put(largest, quotas.get(largest) - 1);
                    quotas.put(key, 1L);
                }
            }
            return quotas;
        }
    }
}
