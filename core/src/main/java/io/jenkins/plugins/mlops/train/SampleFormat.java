package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.DataFormat;
import io.jenkins.plugins.mlops.io.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The file formats a training script reads, and how the sample is written back in the same
 * family, so that the script's own loader reads the sample unchanged.
 */
enum SampleFormat {
    CSV("read_csv", "FORMAT csv, HEADER true", ".csv"),
    TSV("read_csv", "FORMAT csv, HEADER true, DELIMITER '\t'", ".tsv"),
    PARQUET("read_parquet", "FORMAT parquet", ".parquet"),
    JSON_LINES("read_json", "FORMAT json", ".jsonl"),
    JSON_ARRAY("read_json", "FORMAT json, ARRAY true", ".json");

    private final String reader;
    private final String copyOptions;
    private final String extension;

    SampleFormat(String reader, String copyOptions, String extension) {
        this.reader = reader;
        this.copyOptions = copyOptions;
        this.extension = extension;
    }

    static SampleFormat of(Path data) {
        String name = data.getFileName().toString().toLowerCase(Locale.ROOT).replaceFirst("\\.(gz|zst)$", "");
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".tsv")) {
            return TSV;
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return PARQUET;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSON_LINES;
        }
        if (name.endsWith(".json")) {
            // pandas.read_json and friends read an array by default, a JSON-lines file only when asked.
            return startsWithArray(data) ? JSON_ARRAY : JSON_LINES;
        }
        throw new BadInputException(data + ": unsupported data format (use .csv, .tsv, .parquet, .jsonl or .json)");
    }

    /**
     * The table expression that scans {@code data}: the strict reader every step uses, so a
     * malformed row is bad input naming its line rather than a row the sample silently lacks.
     */
    String scan(Path data) {
        return this == JSON_ARRAY ? reader + "(" + Sql.literal(data.toString()) + ", format = 'array')"
                : dataFormat().reader(List.of(data));
    }

    /** The format the other steps know this one as; a JSON array is the sampler's own addition. */
    DataFormat dataFormat() {
        return switch (this) {
            case CSV -> DataFormat.CSV;
            case TSV -> DataFormat.TSV;
            case PARQUET -> DataFormat.PARQUET;
            case JSON_LINES, JSON_ARRAY -> DataFormat.JSON_LINES;
        };
    }

    String copyOptions() {
        return copyOptions;
    }

    String extension() {
        return extension;
    }

    private static boolean startsWithArray(Path data) {
        if (data.getFileName().toString().endsWith(".gz") || data.getFileName().toString().endsWith(".zst")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(data)) {
            int c;
            while ((c = in.read()) != -1) {
                if (!Character.isWhitespace(c) && c != 0xEF && c != 0xBB && c != 0xBF) {
                    return c == '[';
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + data, e);
        }
    }
}
