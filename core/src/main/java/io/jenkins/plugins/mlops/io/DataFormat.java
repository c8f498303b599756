package io.jenkins.plugins.mlops.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The file formats mlops reads, told apart by file name as data lakes name them. */
public enum DataFormat {
    CSV, TSV, PARQUET, JSON_LINES;

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

    /** The table function that reads the files, strict so that malformed rows stop the scan. */
    public String reader(List<Path> files) {
        String list = files.stream().map(f -> Sql.literal(f.toAbsolutePath().toString()))
                .collect(Collectors.joining(", ", "[", "]"));
        return switch (this) {
            // Dialect pinned (delimiter, RFC 4180 quotes, no comment lines, no skipped lines) and
            // strict mode on, no null padding, no ignored errors: a ragged row or an unterminated
            // quote is an error naming its line, never a row silently dropped. Left to the sniffer,
            // a ragged row makes it skip the lines above it and '#' makes a row a comment.
            // A header is required: columns are checked by name.
            case CSV, TSV -> "read_csv(" + list + ", header = true, delim = " + Sql.literal(String.valueOf(delimiter()))
                    + ", quote = '\"', escape = '\"', comment = '', skip = 0, strict_mode = true, null_padding = false,"
                    + " ignore_errors = false)";
            case PARQUET -> "read_parquet(" + list + ")";
            case JSON_LINES -> "read_json(" + list + ", format = 'newline_delimited')";
        };
    }

    public boolean isDelimited() {
        return this == CSV || this == TSV;
    }

    public char delimiter() {
        return this == TSV ? '\t' : ',';
    }
}
