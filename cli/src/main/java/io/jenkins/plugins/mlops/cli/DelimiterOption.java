package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.CsvHeader;
import picocli.CommandLine.Option;

/** The field delimiter of delimited data, for the commands that read datasets. */
public final class DelimiterOption {
    @Option(names = "--delimiter", paramLabel = "CHAR",
            description = "Field delimiter of CSV/TSV data: one character, e.g. ';', '|' or '\\t' (default: ',' for .csv, tab for .tsv).")
    String delimiter;

    /** The chosen delimiter, or null for each format's own. */
    Character value() {
        return delimiter == null ? null : CsvHeader.parseDelimiter(delimiter);
    }
}
