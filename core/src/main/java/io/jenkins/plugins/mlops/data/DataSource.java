package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.CsvColumns;
import io.jenkins.plugins.mlops.io.CsvHeader;
import io.jenkins.plugins.mlops.io.DataFormat;
import io.jenkins.plugins.mlops.io.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files of one dataset: a single file, or a directory of partitions (e.g. Hive-style
 * Parquet), all of one format; or, for engine spark, a table of its catalogue ({@code table:NAME},
 * no files). Resolving checks what DuckDB would otherwise report less clearly:
 * missing paths, empty files, unknown or mixed formats.
 *
 * @param path the path the user named, as they wrote it (for messages)
 * @param files the data files, sorted, so that scans and fingerprints are reproducible
 * @param delimiter the field delimiter of CSV and TSV files
 * @param csvBufferBytes the CSV reader's buffer per thread; 0 for DuckDB's default
 * @param timestampText text columns read as timestamps ({@link IsoTimestamps}: ISO-8601 strings in JSON lines)
 * @param csvColumns a CSV file's columns as sniffed once ({@link CsvSniffer}), so that later scans skip the sniffer; null until then
 */
public record DataSource(String path, List<Path> files, DataFormat format, char delimiter, long csvBufferBytes,
        List<String> timestampText, CsvColumns csvColumns) {
    /** Data that names a table of the Spark catalogue rather than files: {@code table:NAME}. */
    public static final String TABLE_PREFIX = "table:";
    /** A table's name, optionally qualified by its catalogue and database: identifiers, nothing to quote. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){0,2}");

    /** DuckDB's own CSV buffer: 16 times its longest line. */
    private static final long DUCKDB_CSV_BUFFER = 16 * DataFormat.MIN_CSV_BUFFER;

    public DataSource {
        files = List.copyOf(files);
        timestampText = List.copyOf(timestampText);
    }

    DataSource readingAsTimestamps(List<String> columns) {
        return new DataSource(path, files, format, delimiter, csvBufferBytes, columns, csvColumns);
    }

    DataSource withCsvColumns(CsvColumns columns) {
        return new DataSource(path, files, format, delimiter, csvBufferBytes, timestampText, columns);
    }

    public static DataSource resolve(String path) {
        return resolve(path, null);
    }

    /**
     * @param delimiter the delimiter the user chose, or null for the format's own (comma for
     *     .csv, tab for .tsv); a file that is plainly delimited by another is then bad input
     */
    public static DataSource resolve(String path, Character delimiter) {
        if (isTable(path)) {
            String name = path.substring(TABLE_PREFIX.length());
            if (!TABLE_NAME.matcher(name).matches()) {
                throw new BadInputException(path + ": not a table name like table:sales or table:lake.churn.batches");
            }
            return new DataSource(path, List.of(), DataFormat.TABLE, ',', 0, List.of(), null);
        }
        Path root = Path.of(path);
        if (!Files.exists(root)) {
            throw new BadInputException("data file not found: " + path);
        }
        List<Path> files = Files.isDirectory(root) ? dataFilesUnder(root) : List.of(root);
        if (files.isEmpty()) {
            throw new BadInputException(path + ": no .csv, .tsv, .parquet, .json or .jsonl files in this directory");
        }
        for (Path file : files) {
            DataFormat.of(file).orElseThrow(() -> new BadInputException(
                    file + ": cannot tell the format from the name; use .csv, .tsv, .parquet, .json or .jsonl"));
            if (!Files.isReadable(file)) {
                throw new BadInputException(file + ": not readable");
            }
            if (size(file) == 0) {
                throw new BadInputException(file + ": the file is empty (0 bytes)");
            }
        }
        Set<DataFormat> formats = files.stream().map(file -> DataFormat.detect(file).orElseThrow()).collect(Collectors.toSet());
        if (formats.size() > 1) {
            throw new BadInputException(path + ": mixes formats " + formats + "; a dataset has one format");
        }
        DataFormat format = formats.iterator().next();
        char fieldDelimiter = delimiter != null ? delimiter : format.delimiter();
        if (format.isDelimited()) {
            for (Path file : files) {
                CsvHeader.check(file, fieldDelimiter, delimiter != null);
            }
        }
        return new DataSource(path, files, format, fieldDelimiter, 0, List.of(), null);
    }

    /**
     * This source read within {@code settings}' memory: DuckDB's CSV buffers (32 MB per thread)
     * are not spillable, so under a small limit they shrink to leave room for the aggregates.
     */
    public DataSource within(EngineSettings settings) {
        if (format == DataFormat.TABLE && settings.sparkRemote() == null) {
            throw new BadInputException(path + ": a table is read where it lives, by --engine spark; "
                    + settings.engineName() + " reads files");
        }
        long perThread = settings.memoryLimitBytes() / 8 / settings.effectiveThreads();
        long buffer = perThread >= DUCKDB_CSV_BUFFER ? 0 : Math.max(DataFormat.MIN_CSV_BUFFER, perThread);
        return new DataSource(path, files, format, delimiter, buffer, timestampText, csvColumns);
    }

    /** Whether {@code path} names a table ({@code table:NAME}) rather than files. */
    public static boolean isTable(String path) {
        return path != null && path.startsWith(TABLE_PREFIX);
    }

    /** Total bytes of the files, for progress messages. */
    public long bytes() {
        return files.stream().mapToLong(DataSource::size).sum();
    }

    /** The table function that reads the files, strict so that malformed rows stop the scan. */
    String relation() {
        String reader = format.reader(files, delimiter, csvBufferBytes, csvColumns);
        if (timestampText.isEmpty()) {
            return reader;
        }
        String casts = timestampText.stream().map(Sql::identifier).map(c -> "CAST(" + c + " AS TIMESTAMP) AS " + c)
                .collect(Collectors.joining(", "));
        return "(SELECT * REPLACE (" + casts + ") FROM " + reader + ")";
    }

    private static List<Path> dataFilesUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> found = new ArrayList<>();
            walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().startsWith("_"))
                    .sorted()
                    .forEach(found::add);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
