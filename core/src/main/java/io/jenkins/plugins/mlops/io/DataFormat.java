package io.jenkins.plugins.mlops.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The file formats mlops reads, told apart by file name as data lakes name them. */
public enum DataFormat {
    CSV, TSV, PARQUET, JSON_LINES,
    /** A {@code .json} file holding one array of objects, as pandas' {@code to_json(orient="records")} writes it. */
    JSON_ARRAY,
    /** A table of the Spark catalogue ({@code table:NAME}): no files here, engine spark reads it where it lives. */
    TABLE;

    /** DuckDB's longest CSV line (max_line_size, 2 MB), below which its buffer cannot go. */
    public static final long MIN_CSV_BUFFER = 2_097_152;

    /** The format a file's name says it has, compressed CSV and JSON lines included. */
    public static Optional<DataFormat> of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String compression : new String[] {".gz", ".zst"}) {
            if (name.endsWith(compression)) {
                name = name.substring(0, name.length() - compression.length());
            }
        }
        if (name.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            return Optional.of(TSV);
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return Optional.of(PARQUET);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return Optional.of(JSON_LINES);
        }
        return Optional.empty();
    }

    /**
     * The format of a data file by its name and, for {@code .json}, by its content: a file that
     * starts with {@code [} is one array of records, one that starts with <code>{</code> holds a
     * record per line. Anything else in a JSON file, and a file of nothing but blanks, is bad input.
     */
    public static Optional<DataFormat> detect(Path file) {
        Optional<DataFormat> named = of(file);
        if (named.isEmpty() || named.get() == PARQUET) {
            return named;
        }
        int first = DataFileStart.firstNonBlank(file);
        if (first == DataFileStart.BLANK) {
            throw new BadInputException(file + ": holds nothing but blank lines or spaces; no header, no rows");
        }
        if (named.get() != JSON_LINES || first == '?') {
            return named;
        }
        boolean jsonLinesName = !file.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.json(\\.gz|\\.zst)?$");
        if (first == '[') {
            if (jsonLinesName) {
                throw new BadInputException(file + ": is one JSON array, not JSON lines (one object per line);"
                        + " name it .json to read it as an array of records");
            }
            return Optional.of(JSON_ARRAY);
        }
        if (first != '{') {
            throw new BadInputException(file + ": not JSON records: a .json file holds one array of objects"
                    + " or one object per line, a .jsonl file one object per line");
        }
        return named;
    }

    /** The table function that reads the files with this format's own delimiter. */
    public String reader(List<Path> files) {
        return reader(files, delimiter());
    }

    /** The table function that reads the files, strict so that malformed rows stop the scan. */
    public String reader(List<Path> files, char delimiter) {
        return reader(files, delimiter, 0, null);
    }

    /**
     * @param csvBufferBytes the CSV reader's buffer per thread, 0 for DuckDB's own (32 MB, which
     *     alone exhausts a memory limit of 100 MB with two threads), at least {@link #MIN_CSV_BUFFER}
     * @param pinned the CSV columns a sniffer found already, read as they are instead of sniffed again; null for none
     */
    public String reader(List<Path> files, char delimiter, long csvBufferBytes, CsvColumns pinned) {
        String list = files.stream().map(Sql::fileLiteral)
                .collect(Collectors.joining(", ", "[", "]"));
        return switch (this) {
            case CSV, TSV -> "read_csv(" + list + csvOptions(delimiter, csvBufferBytes) + (pinned == null ? "" : pinned.readerOptions()) + ")";
            case PARQUET -> "read_parquet(" + list + ")";
            // records = true: every record must be an object; a scalar or an array is an error,
            // not one row with a column named "json".
            case JSON_LINES -> "read_json(" + list + ", format = 'newline_delimited', records = true)";
            case JSON_ARRAY -> "read_json(" + list + ", format = 'array', records = true)";
            case TABLE -> throw new BadInputException("a table is read by engine spark, not by DuckDB");
        };
    }

    /** DuckDB's sniffer over one CSV file, with the options the reader pins; its row says what it found. */
    public static String sniffer(Path file, char delimiter, long csvBufferBytes) {
        return "sniff_csv(" + Sql.fileLiteral(file) + csvOptions(delimiter, csvBufferBytes) + ")";
    }

    // Dialect pinned (delimiter, RFC 4180 quotes, no comment lines, no skipped lines) and strict
    // mode on, no null padding, no ignored errors: a ragged row or an unterminated quote is an
    // error naming its line, never a row silently dropped. Left to the sniffer, a ragged row makes
    // it skip the lines above it and '#' makes a row a comment. A header is required: columns are
    // checked by name.
    private static String csvOptions(char delimiter, long csvBufferBytes) {
        return ", header = true, delim = " + Sql.literal(String.valueOf(delimiter))
                + ", quote = '\"', escape = '\"', comment = '', skip = 0, strict_mode = true, null_padding = false,"
                + " ignore_errors = false" + (csvBufferBytes > 0 ? ", buffer_size = " + Math.max(MIN_CSV_BUFFER, csvBufferBytes) : "");
    }

    /**
     * Whether a scan can read some columns without the others, so that a second scan of a few
     * costs little: Parquet, where DuckDB's GROUP BY counts the grid's bins in a scan of its own
     * for less than histogram() costs inside the statistics scan.
     */
    public boolean isColumnar() {
        return this == PARQUET;
    }

    public boolean isDelimited() {
        return this == CSV || this == TSV;
    }

    public char delimiter() {
        return this == TSV ? '\t' : ',';
    }
}
