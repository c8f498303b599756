package io.jenkins.plugins.mlops.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

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

    boolean isDelimited() {
        return this == CSV || this == TSV;
    }

    char delimiter() {
        return this == TSV ? '\t' : ',';
    }
}
