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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a perturbed copy of the smoke sample with DuckDB, in the sample's format, so the training
 * command's own loader reads it: the label column is never touched. Which rows change depends on
 * their position only, so the same sample gives the same copy.
 */
final class SamplePerturber {
    /** The category no data has. */
    static final String UNSEEN_CATEGORY = "mlops-unseen-category";
    /** One row in this many gets the NaN or the new category, staggered across columns. */
    static final int EVERY = 10;
    private static final String ROW = "__mlops_row";

    private SamplePerturber() {}

    /**
     * What was written: the copy's path and a sentence on what changed, or no path and why
     * nothing could change (no text column for a new category).
     */
    record Copy(Path file, String change) {}

    private record Column(String name, String type) {}

    static Copy write(Path sample, Perturbation perturbation, String labelColumn, Path targetDir) {
        SampleFormat format = SampleFormat.of(sample);
        Path target = targetDir.resolve(sample.getFileName());
        try (Connection db = DuckDb.open(); Statement sql = db.createStatement()) {
            String scan = format.scan(sample);
            List<Column> all = describe(sql, scan);
            List<Column> features = all.stream().filter(c -> !c.name().equals(labelColumn)).toList();
            long rows = count(sql, "SELECT count(*) FROM " + scan);
            int every = (int) Math.max(1, Math.min(EVERY, rows));
            // Each feature's expression; the label and unchanged columns pass as they are, in the file's order.
            Map<Column, String> changed = new HashMap<>();
            String change;
            switch (perturbation.kind()) {
                case NAN -> {
                    for (int i = 0; i < features.size(); i++) {
                        changed.put(features.get(i), replaceEvery(features.get(i), every, i, "NULL"));
                    }
                    change = "an empty value (NaN) in 1 of every " + every + " rows of each of the " + features.size()
                            + " feature columns" + (labelColumn == null ? "" : " (not " + labelColumn + ")");
                }
                case UNSEEN_CATEGORY -> {
                    List<Column> text = features.stream().filter(c -> c.type().equals("VARCHAR")).toList();
                    if (text.isEmpty()) {
                        return new Copy(null, "the sample has no text column to hold a new category");
                    }
                    for (int i = 0; i < text.size(); i++) {
                        changed.put(text.get(i), replaceEvery(text.get(i), every, i, Sql.literal(UNSEEN_CATEGORY)));
                    }
                    change = "'" + UNSEEN_CATEGORY + "' in 1 of every " + every + " rows of each text column ("
                            + String.join(", ", text.stream().map(Column::name).toList()) + ")";
                }
                case EMPTY_COLUMN -> {
                    Optional<Column> emptied = emptied(sql, scan, features, perturbation.column(), labelColumn, sample);
                    if (emptied.isEmpty()) {
                        return new Copy(null, "every feature column of the sample is a key (all values distinct)");
                    }
                    Column column = emptied.get();
                    changed.put(column, "CAST(NULL AS " + column.type() + ") AS " + Sql.identifier(column.name()));
                    change = "every value of " + column.name() + " empty";
                }
                default -> throw new IllegalStateException(perturbation.kind().name());
            }
            List<String> select = all.stream().map(c -> changed.getOrDefault(c, Sql.identifier(c.name()))).toList();
            Files.createDirectories(targetDir);
            Path temp = targetDir.resolve(".perturbed" + format.extension());
            sql.execute("COPY (SELECT " + String.join(", ", select) + " FROM (SELECT *, row_number() OVER () AS " + ROW
                    + " FROM " + scan + ") ORDER BY " + ROW + ") TO " + Sql.literal(temp.toString()) + " ("
                    + format.copyOptions() + ")");
            AtomicFiles.move(temp, target);
            return new Copy(target, change);
        } catch (SQLException e) {
            throw DuckDbErrors.translate(e, sample.toString(), List.of(sample), format.dataFormat());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the perturbed sample into " + targetDir, e);
        }
    }

    /** The column's value replaced by {@code value} in the rows whose number, offset by the column's index, hits {@code every}. */
    private static String replaceEvery(Column column, int every, int index, String value) {
        String name = Sql.identifier(column.name());
        return "CASE WHEN (" + ROW + " + " + index + ") % " + every + " = 0 THEN " + value + " ELSE " + name + " END AS "
                + name;
    }

    /**
     * The named column, or the first feature that is not a key: emptying an id column that the
     * script ignores would prove nothing.
     */
    private static Optional<Column> emptied(Statement sql, String scan, List<Column> features, String named,
            String labelColumn, Path sample) throws SQLException {
        if (named != null) {
            if (named.equals(labelColumn)) {
                throw new BadInputException("--perturb empty-column=" + named + ": that is the label column");
            }
            return Optional.of(features.stream().filter(c -> c.name().equals(named)).findFirst().orElseThrow(() ->
                    new BadInputException("--perturb empty-column=" + named + ": no such column in " + sample.getFileName()
                            + "; columns are " + String.join(", ", features.stream().map(Column::name).toList()))));
        }
        for (Column column : features) {
            String name = Sql.identifier(column.name());
            String notAKey = "SELECT count(DISTINCT " + name + ") < count(*) OR count(" + name + ") < count(*) FROM " + scan;
            if (count(sql, notAKey) > 0) {
                return Optional.of(column);
            }
        }
        return Optional.empty();
    }

    private static List<Column> describe(Statement sql, String scan) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("DESCRIBE SELECT * FROM " + scan)) {
            while (rs.next()) {
                columns.add(new Column(rs.getString("column_name"), rs.getString("column_type").toUpperCase(Locale.ROOT)));
            }
        }
        return columns;
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            Object value = rs.getObject(1);
            return value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).longValue();
        }
    }
}
