package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.DataFormat;
import io.jenkins.plugins.mlops.io.DuckDb;
import io.jenkins.plugins.mlops.io.DuckDbErrors;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.Messages;
import io.jenkins.plugins.mlops.io.Sql;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads the prediction files through DuckDB (CSV, Parquet or JSON lines), pairs the rows (by id
 * or by position) inside DuckDB, checks them, and loads only the needed columns into primitive
 * arrays. Problems with the user's files as such (not found, unreadable, duplicate or unmatched
 * ids, row counts that differ) are bad input; readable files the gate cannot evaluate (a missing
 * column, NaN or infinite values) become ERROR checks so that the gate fails closed with a report.
 */
final class HoldOutReader {
    /** A slice column with more values than this is almost surely not a grouping (an id, a number). */
    static final int MAX_SLICE_VALUES = 200;

    private static final Pattern NUMERIC = Pattern.compile(
            "U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\\(.*\\)|BOOLEAN");
    private static final Pattern FRACTIONAL = Pattern.compile("FLOAT|DOUBLE|DECIMAL\\(.*\\)");
    /** How a missing value is spelt in text columns by pandas (its na_values) and by Python's str(None). */
    private static final String MISSING_SPELLINGS = "'N/A', 'n/a', '#N/A', 'NaN', 'nan', '-NaN', '-nan', 'NULL', 'null', "
            + "'None', '<NA>', '#NA', '#N/A N/A'";

    private final GateConfig config;
    private final Consumer<String> progress;
    private final List<Check> problems = new ArrayList<>();

    HoldOutReader(GateConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    HoldOut read() {
        try (Connection db = DuckDb.open(); Statement sql = db.createStatement()) {
            return read(sql);
        } catch (SQLException e) {
            String message = Messages.firstLine(e.getMessage());
            if (message.contains("Conversion Error") || message.contains("Invalid Input Error")) {
                throw new BadInputException("cannot read the prediction files: " + message, e);
            }
            throw new InfrastructureException("the data engine (DuckDB) failed: " + message, e);
        }
    }

    private HoldOut read(Statement sql) throws SQLException {
        Source candidate = open(sql, "candidate", config.candidateFile());
        Source baseline = config.baseline() instanceof BaselinePredictions predictions
                ? open(sql, "baseline", predictions.file()) : null;

        Task task = config.declaredTask() != null ? config.declaredTask()
                : candidate.has(config.labelColumn()) && FRACTIONAL.matcher(candidate.type(config.labelColumn())).matches()
                ? Task.REGRESSION : Task.CLASSIFICATION;
        requireColumns(candidate, baseline, task);
        if (!problems.isEmpty()) {
            throw new UnusableHoldOutException(problems);
        }
        pair(sql, candidate, baseline);
        boolean numericClasses = task == Task.CLASSIFICATION && classColumnsNumeric(sql, candidate, baseline);
        if (!problems.isEmpty()) {
            throw new UnusableHoldOutException(problems);
        }
        materialise(sql, candidate, baseline, task, numericClasses);
        checkValues(sql, candidate, baseline, task, numericClasses);
        if (!problems.isEmpty()) {
            throw new UnusableHoldOutException(problems);
        }
        if (baseline != null && baseline.has(config.labelColumn())) {
            checkLabelsAgree(sql, candidate, baseline);
        }
        return load(sql, task, baseline != null, numericClasses);
    }

    /** A prediction file as a DuckDB view named after its role (baseline or candidate), with its column types. */
    private record Source(String view, Path file, Map<String, String> types, long rows) {
        boolean has(String column) {
            return types.containsKey(column);
        }

        String type(String column) {
            return types.get(column);
        }
    }

    private Source open(Statement sql, String view, String fileName) {
        Path file = Path.of(fileName);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(fileName + ": " + view + " predictions file not found");
        }
        String reader = reader(file);
        try {
            sql.execute("CREATE VIEW " + view + " AS SELECT * FROM " + reader);
            Map<String, String> types = new LinkedHashMap<>();
            try (ResultSet columns = sql.executeQuery("DESCRIBE " + view)) {
                while (columns.next()) {
                    types.put(columns.getString("column_name"), columns.getString("column_type"));
                }
            }
            long rows = count(sql, "SELECT count(*) FROM " + view);
            if (rows == 0) {
                throw new BadInputException(fileName + ": the " + view + " predictions file has no rows");
            }
            progress.accept("gate: " + view + " " + fileName + ": " + rows + " rows");
            return new Source(view, file, types, rows);
        } catch (SQLException e) {
            RuntimeException translated = DuckDbErrors.translate(e, file.toString(), List.of(file), format(file));
            throw translated instanceof BadInputException
                    ? new BadInputException("cannot read the " + view + " predictions: " + translated.getMessage(), e)
                    : translated;
        }
    }

    /** The same strict reader as the data step's: a ragged prediction file is bad input, not silently fewer rows. */
    private static String reader(Path file) {
        return format(file).reader(List.of(file));
    }

    private static DataFormat format(Path file) {
        return DataFormat.of(file).orElseThrow(() -> new BadInputException(
                file + ": unknown prediction file format; use .csv, .tsv, .parquet or .jsonl"));
    }

    private void requireColumns(Source candidate, Source baseline, Task task) {
        require(candidate, config.labelColumn(), "label");
        if (config.predictionColumn() != null) {
            require(candidate, config.predictionColumn(), "prediction");
        }
        if (config.scoreColumn() != null) {
            require(candidate, config.scoreColumn(), "score");
        }
        if (config.idColumn() != null) {
            require(candidate, config.idColumn(), "id");
        }
        for (String slice : config.allSliceColumns()) {
            require(candidate, slice, "slice");
        }
        if (baseline != null) {
            if (config.predictionColumn() != null) {
                require(baseline, config.predictionColumn(), "prediction");
            }
            if (config.scoreColumn() != null) {
                require(baseline, config.scoreColumn(), "score");
            }
            if (config.idColumn() != null) {
                require(baseline, config.idColumn(), "id");
            }
        }
        if (task == Task.REGRESSION) {
            requireNumeric(candidate, config.labelColumn(), "regression labels");
            requireNumeric(candidate, config.predictionColumn(), "regression predictions");
            if (baseline != null) {
                requireNumeric(baseline, config.predictionColumn(), "regression predictions");
            }
        }
        if (config.scoreColumn() != null) {
            requireNumeric(candidate, config.scoreColumn(), "scores");
            if (baseline != null) {
                requireNumeric(baseline, config.scoreColumn(), "scores");
            }
        }
    }

    private void require(Source source, String column, String what) {
        if (!source.has(column)) {
            problems.add(Check.of("input", column, Status.ERROR, "missing", what + " column",
                    "the " + source.view() + " file " + source.file() + " has no " + what + " column '" + column
                            + "'; it has " + String.join(", ", source.types().keySet())));
        }
    }

    private void requireNumeric(Source source, String column, String what) {
        if (source.has(column) && !NUMERIC.matcher(source.type(column)).matches()) {
            problems.add(Check.of("input", column, Status.ERROR, source.type(column), "numbers",
                    "column '" + column + "' in the " + source.view() + " file " + source.file() + " is "
                            + source.type(column) + "; " + what + " must be numbers"));
        }
    }

    /** Ids must be present, unique and the same on both sides; without ids the row counts must match. */
    private void pair(Statement sql, Source candidate, Source baseline) throws SQLException {
        if (baseline == null) {
            if (config.idColumn() != null) {
                requireUniqueIds(sql, candidate);
            }
            return;
        }
        if (config.idColumn() == null) {
            if (candidate.rows() != baseline.rows()) {
                throw new BadInputException("the baseline file " + baseline.file() + " has " + baseline.rows()
                        + " rows and the candidate file " + candidate.file() + " has " + candidate.rows()
                        + "; without --id rows pair by position, so the counts must match (or give --id)");
            }
            return;
        }
        requireUniqueIds(sql, candidate);
        requireUniqueIds(sql, baseline);
        requireMatchingIds(sql, candidate, baseline);
        requireMatchingIds(sql, baseline, candidate);
        progress.accept("gate: paired " + candidate.rows() + " rows by id '" + config.idColumn() + "'");
    }

    private void requireUniqueIds(Statement sql, Source source) throws SQLException {
        String id = Sql.identifier(config.idColumn());
        long missing = count(sql, "SELECT count(*) FROM " + source.view() + " WHERE " + id + " IS NULL");
        if (missing > 0) {
            throw new BadInputException(source.file() + ": " + missing + " rows of the " + source.view()
                    + " file have no id in column '" + config.idColumn() + "'");
        }
        try (ResultSet duplicate = sql.executeQuery("SELECT CAST(" + id + " AS VARCHAR), count(*) AS n, count(*) OVER () "
                + "FROM " + source.view() + " GROUP BY " + id + " HAVING count(*) > 1 ORDER BY n DESC, 1 LIMIT 1")) {
            if (duplicate.next()) {
                throw new BadInputException(source.file() + ": id '" + duplicate.getString(1) + "' appears "
                        + duplicate.getLong(2) + " times in the " + source.view() + " file (" + duplicate.getLong(3)
                        + " ids repeat); ids in column '" + config.idColumn() + "' must be unique");
            }
        }
    }

    private void requireMatchingIds(Statement sql, Source from, Source other) throws SQLException {
        String query = "SELECT CAST(a." + Sql.identifier(config.idColumn()) + " AS VARCHAR), count(*) OVER () FROM " + from.view()
                + " a ANTI JOIN " + other.view() + " b ON " + joinCondition(from, other, "a", "b") + " ORDER BY 1 LIMIT 1";
        try (ResultSet unmatched = sql.executeQuery(query)) {
            if (unmatched.next()) {
                throw new BadInputException("id '" + unmatched.getString(1) + "' is in the " + from.view() + " file "
                        + from.file() + " but not in the " + other.view() + " file " + other.file() + " ("
                        + unmatched.getLong(2) + " ids in all); both models must be scored on the same hold-out rows");
            }
        }
    }

    /** Ids of different types (an integer and a string column) are compared as text. */
    private String joinCondition(Source left, Source right, String leftAlias, String rightAlias) {
        String id = Sql.identifier(config.idColumn());
        boolean sameType = left.type(config.idColumn()).equals(right.type(config.idColumn()));
        return sameType ? leftAlias + "." + id + " = " + rightAlias + "." + id
                : "CAST(" + leftAlias + "." + id + " AS VARCHAR) = CAST(" + rightAlias + "." + id + " AS VARCHAR)";
    }

    /**
     * Whether the classes are numbers. Numeric labels with a text prediction column can still be
     * numbers written as text ("1"); a prediction that is no number ({@code N/A}, {@code yes})
     * would be a class of its own that never matches a label, so the gate refuses to score it.
     */
    private boolean classColumnsNumeric(Statement sql, Source candidate, Source baseline) throws SQLException {
        if (!NUMERIC.matcher(candidate.type(config.labelColumn())).matches()) {
            return false;
        }
        if (baseline != null && baseline.has(config.labelColumn())
                && !NUMERIC.matcher(baseline.type(config.labelColumn())).matches()) {
            return false;
        }
        if (config.predictionColumn() == null) {
            return true;
        }
        boolean numeric = true;
        for (Source source : baseline == null ? List.of(candidate) : List.of(candidate, baseline)) {
            String type = source.type(config.predictionColumn());
            if (NUMERIC.matcher(type).matches()) {
                continue;
            }
            String column = Sql.identifier(config.predictionColumn());
            try (ResultSet notNumber = sql.executeQuery("SELECT CAST(" + column + " AS VARCHAR), count(*) OVER () FROM "
                    + source.view() + " WHERE " + column + " IS NOT NULL AND TRY_CAST(" + column + " AS DOUBLE) IS NULL LIMIT 1")) {
                if (notNumber.next()) {
                    problems.add(Check.of("input", config.predictionColumn(), Status.ERROR, notNumber.getLong(2) + " rows",
                            "classes like the labels'", "the " + source.view() + " prediction column '"
                                    + config.predictionColumn() + "' holds '" + notNumber.getString(1) + "' ("
                                    + notNumber.getLong(2) + " values that are not numbers) while the labels are numbers;"
                                    + " the gate cannot score them and fails closed"));
                    numeric = false;
                }
            }
        }
        return numeric;
    }

    /** The paired rows as one in-memory table, ordered by id so that file order does not change the resamples. */
    private void materialise(Statement sql, Source candidate, Source baseline, Task task, boolean numericClasses)
            throws SQLException {
        String valueType = task == Task.REGRESSION || numericClasses ? "DOUBLE" : "VARCHAR";
        List<String> columns = new ArrayList<>();
        columns.add(cast("c", config.labelColumn(), valueType) + " AS label");
        columns.add(config.predictionColumn() == null ? "NULL AS cand_pred"
                : cast("c", config.predictionColumn(), valueType) + " AS cand_pred");
        if (config.scoreColumn() != null) {
            columns.add(cast("c", config.scoreColumn(), "DOUBLE") + " AS cand_score");
        }
        if (baseline != null) {
            columns.add(config.predictionColumn() == null ? "NULL AS base_pred"
                    : cast("b", config.predictionColumn(), valueType) + " AS base_pred");
            if (config.scoreColumn() != null) {
                columns.add(cast("b", config.scoreColumn(), "DOUBLE") + " AS base_score");
            }
            if (baseline.has(config.labelColumn())) {
                columns.add(cast("b", config.labelColumn(), valueType) + " AS base_label");
            }
        }
        List<String> slices = config.allSliceColumns();
        for (int s = 0; s < slices.size(); s++) {
            columns.add(cast("c", slices.get(s), "VARCHAR") + " AS slice_" + s);
        }
        String id = config.idColumn() == null ? null : Sql.identifier(config.idColumn());
        columns.add(id == null ? "NULL AS row_id" : "CAST(c." + id + " AS VARCHAR) AS row_id");
        String from;
        if (baseline == null) {
            from = "candidate c";
        } else if (id == null) {
            from = "candidate c POSITIONAL JOIN baseline b";
        } else {
            from = "candidate c JOIN baseline b ON " + joinCondition(candidate, baseline, "c", "b");
        }
        sql.execute("CREATE TEMP TABLE holdout AS SELECT " + String.join(", ", columns) + " FROM " + from
                + (id == null ? "" : " ORDER BY c." + id));
    }

    private void checkValues(Statement sql, Source candidate, Source baseline, Task task, boolean numericClasses)
            throws SQLException {
        boolean numbers = task == Task.REGRESSION || numericClasses;
        boolean predictions = config.predictionColumn() != null;
        checkFinite(sql, "label", numbers, candidate, config.labelColumn(), "label");
        if (predictions) {
            checkFinite(sql, "cand_pred", numbers, candidate, config.predictionColumn(), "prediction");
        }
        if (config.scoreColumn() != null) {
            checkFinite(sql, "cand_score", true, candidate, config.scoreColumn(), "score");
            checkProbability(sql, "cand_score", candidate);
        }
        if (baseline != null) {
            if (predictions) {
                checkFinite(sql, "base_pred", numbers, baseline, config.predictionColumn(), "prediction");
            }
            if (config.scoreColumn() != null) {
                checkFinite(sql, "base_score", true, baseline, config.scoreColumn(), "score");
                checkProbability(sql, "base_score", baseline);
            }
        }
        if (numericClasses) {
            checkWhole(sql, "label", candidate, config.labelColumn(), "label",
                    "classification needs classes; continuous labels are a regression (--task regression)");
            if (predictions) {
                checkWhole(sql, "cand_pred", candidate, config.predictionColumn(), "prediction",
                        "a prediction is a class; a probability belongs in --score");
                if (baseline != null) {
                    checkWhole(sql, "base_pred", baseline, config.predictionColumn(), "prediction",
                            "a prediction is a class; a probability belongs in --score");
                }
            }
        }
    }

    /**
     * Empty, NaN or infinite values; for text classes also the spellings of a missing value that
     * pandas writes or reads as NaN, which would otherwise become a class of their own.
     */
    private void checkFinite(Statement sql, String column, boolean numbers, Source source, String name, String what)
            throws SQLException {
        long[] found = countAndFirstRow(sql, column + " IS NULL" + (numbers ? " OR NOT isfinite(" + column + ")"
                : " OR trim(" + column + ") IN (" + MISSING_SPELLINGS + ")"));
        if (found[0] > 0) {
            problems.add(Check.of("input", name, Status.ERROR, found[0] + " rows", "finite values",
                    "the " + source.view() + " " + what + " column '" + name + "' has " + found[0]
                            + (numbers ? " empty, NaN or infinite" : " empty or missing (N/A, NaN, null, None)")
                            + " values (first at " + rowReference(sql, found[1])
                            + "); the gate cannot evaluate them and fails closed"));
        }
    }

    /** Scores are probabilities of the positive class: 1.5 or -0.2 is a broken model output, whatever the metric. */
    private void checkProbability(Statement sql, String column, Source source) throws SQLException {
        long[] found = countAndFirstRow(sql, column + " < 0 OR " + column + " > 1");
        if (found[0] > 0) {
            problems.add(Check.of("input", config.scoreColumn(), Status.ERROR, found[0] + " rows", "in [0, 1]",
                    "the " + source.view() + " score column '" + config.scoreColumn() + "' has " + found[0]
                            + " values outside [0, 1] (first at " + rowReference(sql, found[1]) + ": "
                            + value(sql, column, found[1]) + "); --score takes the probability of the positive class,"
                            + " so the gate fails closed"));
        }
    }

    /** Numeric classes are whole numbers: 0.37 is a continuous value or a probability, not a class. */
    private void checkWhole(Statement sql, String column, Source source, String name, String what, String why)
            throws SQLException {
        long[] found = countAndFirstRow(sql, column + " <> round(" + column + ")");
        if (found[0] > 0) {
            problems.add(Check.of("input", name, Status.ERROR, found[0] + " rows", "whole-number classes",
                    "the " + source.view() + " " + what + " column '" + name + "' has " + found[0]
                            + " fractional values (first at " + rowReference(sql, found[1]) + ": "
                            + value(sql, column, found[1]) + "); " + why + "; the gate fails closed"));
        }
    }

    private static String value(Statement sql, String column, long rowid) throws SQLException {
        try (ResultSet rs = sql.executeQuery("SELECT CAST(" + column + " AS VARCHAR) FROM holdout WHERE rowid = " + rowid)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void checkLabelsAgree(Statement sql, Source candidate, Source baseline) throws SQLException {
        long[] found = countAndFirstRow(sql, "base_label IS DISTINCT FROM label");
        if (found[0] == 0) {
            return;
        }
        String values;
        try (ResultSet pair = sql.executeQuery("SELECT CAST(label AS VARCHAR), CAST(base_label AS VARCHAR) FROM holdout WHERE rowid = " + found[1])) {
            pair.next();
            values = "candidate " + pair.getString(1) + ", baseline " + pair.getString(2);
        }
        throw new BadInputException("the baseline file " + baseline.file() + " and the candidate file "
                + candidate.file() + " disagree on label '" + config.labelColumn() + "' in " + found[0]
                + " rows (first at " + rowReference(sql, found[1]) + ": " + values
                + "); both must hold the same hold-out set" + (config.idColumn() == null ? " in the same order, or give --id" : ""));
    }

    /** How many rows of the paired table match the condition, and the first one's rowid. */
    private static long[] countAndFirstRow(Statement sql, String condition) throws SQLException {
        try (ResultSet found = sql.executeQuery("SELECT count(*), min(rowid) FROM holdout WHERE " + condition)) {
            found.next();
            return new long[] {found.getLong(1), found.getLong(2)};
        }
    }

    private String rowReference(Statement sql, long rowid) throws SQLException {
        if (config.idColumn() == null) {
            return "row " + (rowid + 1);
        }
        try (ResultSet id = sql.executeQuery("SELECT row_id FROM holdout WHERE rowid = " + rowid)) {
            id.next();
            return "id '" + id.getString(1) + "'";
        }
    }

    private HoldOut load(Statement sql, Task task, boolean paired, boolean numericClasses) throws SQLException {
        long total = count(sql, "SELECT count(*) FROM holdout");
        if (total > Integer.MAX_VALUE - 8) {
            throw new BadInputException("the hold-out set has " + total + " rows; the gate reads at most " + (Integer.MAX_VALUE - 8));
        }
        int rows = (int) total;
        boolean scored = config.scoreColumn() != null;
        List<String> sliceNames = config.allSliceColumns();
        double[] label = new double[rows];
        double[] candidatePrediction = new double[rows];
        double[] baselinePrediction = paired ? new double[rows] : null;
        String[] labelText = task == Task.CLASSIFICATION && !numericClasses ? new String[rows] : null;
        String[] candidateText = labelText == null ? null : new String[rows];
        String[] baselineText = labelText == null || !paired ? null : new String[rows];
        double[] candidateScore = scored ? new double[rows] : null;
        double[] baselineScore = scored && paired ? new double[rows] : null;
        SliceBuilder[] slices = new SliceBuilder[sliceNames.size()];
        for (int s = 0; s < slices.length; s++) {
            slices[s] = new SliceBuilder(sliceNames.get(s), rows);
        }
        StringBuilder select = new StringBuilder("SELECT label, cand_pred");
        select.append(paired ? ", base_pred" : ", NULL").append(scored ? ", cand_score" : ", NULL")
                .append(scored && paired ? ", base_score" : ", NULL");
        for (int s = 0; s < slices.length; s++) {
            select.append(", slice_").append(s);
        }
        select.append(" FROM holdout ORDER BY rowid");
        try (ResultSet rs = sql.executeQuery(select.toString())) {
            int i = 0;
            while (rs.next()) {
                if (labelText != null) {
                    labelText[i] = rs.getString(1);
                    candidateText[i] = rs.getString(2);
                    if (paired) {
                        baselineText[i] = rs.getString(3);
                    }
                } else {
                    label[i] = rs.getDouble(1);
                    candidatePrediction[i] = rs.getDouble(2);
                    if (paired) {
                        baselinePrediction[i] = rs.getDouble(3);
                    }
                }
                if (scored) {
                    candidateScore[i] = rs.getDouble(4);
                    if (paired) {
                        baselineScore[i] = rs.getDouble(5);
                    }
                }
                for (int s = 0; s < slices.length; s++) {
                    slices[s].add(i, rs.getString(6 + s));
                }
                i++;
            }
        }
        progress.accept("gate: loaded " + rows + " paired rows");
        List<HoldOut.SliceColumn> sliceColumns = new ArrayList<>();
        for (SliceBuilder slice : slices) {
            sliceColumns.add(slice.build());
        }
        if (task == Task.REGRESSION) {
            return new HoldOut(task, rows, label, null, null,
                    paired ? new HoldOut.ModelOutputs(baselinePrediction, null, null) : null,
                    new HoldOut.ModelOutputs(candidatePrediction, null, null), sliceColumns);
        }
        ClassEncoder encoder = new ClassEncoder(numericClasses);
        int[] labelClass = labelText != null ? encoder.encode(labelText) : encoder.encode(label);
        int[] candidateClass;
        int[] baselineClass;
        if (config.classFromScore()) {
            int[] positiveAndNegative = scoreClasses(encoder, labelClass);
            candidateClass = classesAtThreshold(candidateScore, positiveAndNegative);
            baselineClass = paired ? classesAtThreshold(baselineScore, positiveAndNegative) : null;
        } else {
            candidateClass = labelText != null ? encoder.encode(candidateText) : encoder.encode(candidatePrediction);
            baselineClass = !paired ? null : labelText != null ? encoder.encode(baselineText) : encoder.encode(baselinePrediction);
        }
        return new HoldOut(task, rows, null, labelClass, encoder.coding(config.positiveClass()),
                paired ? new HoldOut.ModelOutputs(null, baselineClass, baselineScore) : null,
                new HoldOut.ModelOutputs(null, candidateClass, candidateScore), sliceColumns);
    }

    /**
     * The codes of the positive class and of the one other class, for classes read off the score:
     * a score is the probability of the positive class, so it tells two classes apart, no more.
     */
    private int[] scoreClasses(ClassEncoder encoder, int[] labelClass) {
        int positive = encoder.code(encoder.canonical(config.positiveClass()));
        Set<Integer> others = new TreeSet<>();
        for (int c : labelClass) {
            if (c != positive) {
                others.add(c);
            }
        }
        boolean positiveInLabels = Arrays.stream(labelClass).anyMatch(c -> c == positive);
        if (!positiveInLabels && others.size() > 1) {
            throw new BadInputException("the positive class " + encoder.canonical(config.positiveClass())
                    + " is not among the classes of label '" + config.labelColumn() + "'; set --positive-class");
        }
        if (others.size() > 1) {
            throw new BadInputException("without --prediction the class comes from --score at --threshold, which tells"
                    + " two classes apart, but label '" + config.labelColumn() + "' has " + (others.size() + 1)
                    + " classes; give --prediction");
        }
        int negative = others.isEmpty() ? encoder.code("not " + encoder.canonical(config.positiveClass())) : others.iterator().next();
        return new int[] {positive, negative};
    }

    /** As scikit-learn's FixedThresholdClassifier: the positive class where the score is at or above the threshold. */
    private int[] classesAtThreshold(double[] score, int[] positiveAndNegative) {
        int[] classes = new int[score.length];
        for (int i = 0; i < score.length; i++) {
            classes[i] = score[i] >= config.threshold() ? positiveAndNegative[0] : positiveAndNegative[1];
        }
        return classes;
    }

    /** Gives each class a code; numeric classes are named canonically so that 1 and 1.0 are one class. */
    private static final class ClassEncoder {
        private final boolean numeric;
        private final Map<String, Integer> codes = new HashMap<>();
        private final List<String> names = new ArrayList<>();

        ClassEncoder(boolean numeric) {
            this.numeric = numeric;
        }

        int[] encode(double[] values) {
            int[] out = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = code(numberName(values[i]));
            }
            return out;
        }

        int[] encode(String[] values) {
            int[] out = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = code(values[i]);
            }
            return out;
        }

        int code(String name) {
            Integer code = codes.get(name);
            if (code == null) {
                code = names.size();
                codes.put(name, code);
                names.add(name);
            }
            return code;
        }

        ClassCoding coding(String positiveClass) {
            String name = canonical(positiveClass);
            return new ClassCoding(names, codes.getOrDefault(name, -1), name);
        }

        /** The positive class as the classes are named: numbers canonically, {@code true} as 1. */
        String canonical(String positiveClass) {
            if (!numeric) {
                return positiveClass;
            }
            String lower = positiveClass.trim().toLowerCase(Locale.ROOT);
            try {
                return lower.equals("true") ? "1" : lower.equals("false") ? "0" : numberName(Double.parseDouble(lower));
            } catch (NumberFormatException e) {
                throw new BadInputException("positive class '" + positiveClass + "' is not a number, but the classes are numbers "
                        + names.subList(0, Math.min(names.size(), 10)));
            }
        }

        private static String numberName(double value) {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
        }
    }

    private static final class SliceBuilder {
        private final String name;
        private final int[] valueIndex;
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> values = new ArrayList<>();

        SliceBuilder(String name, int rows) {
            this.name = name;
            this.valueIndex = new int[rows];
        }

        void add(int row, String value) {
            String key = value == null ? "(null)" : value;
            Integer position = index.get(key);
            if (position == null) {
                if (values.size() == MAX_SLICE_VALUES) {
                    throw new BadInputException("slice column '" + name + "' has more than " + MAX_SLICE_VALUES
                            + " values; slice by a column that groups rows (a region, a device type)");
                }
                position = values.size();
                index.put(key, position);
                values.add(key);
            }
            valueIndex[row] = position;
        }

        HoldOut.SliceColumn build() {
            return new HoldOut.SliceColumn(name, values, valueIndex);
        }
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String cast(String alias, String column, String type) {
        return "CAST(" + alias + "." + Sql.identifier(column) + " AS " + type + ")";
    }
}
