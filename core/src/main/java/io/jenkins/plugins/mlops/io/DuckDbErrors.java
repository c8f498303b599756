package io.jenkins.plugins.mlops.io;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns DuckDB's errors about the user's files into one-line messages that name the file and the
 * line, as the conventions ask: DuckDB's own text is long (a list of reader options) and names
 * the line in different ways per reader.
 */
public final class DuckDbErrors {
    private static final Pattern CSV_LINE = Pattern.compile("CSV Error on Line: (\\d+)");
    private static final Pattern FILE_OPTION = Pattern.compile("(?m)^\\s*file = (.+)$");
    private static final Pattern SNIFF_FILE = Pattern.compile("Error when sniffing file \"(.+?)\"");
    private static final Pattern COLUMNS = Pattern.compile("Expected Number of Columns: (\\d+) Found: (\\d+)");
    private static final Pattern CONVERSION = Pattern.compile("Could not convert string \"(.*?)\" to '(\\w+)'");
    private static final Pattern CONVERTED_COLUMN = Pattern.compile("Error when converting column \"(.+?)\"");
    private static final Pattern JSON = Pattern.compile("Malformed JSON in file \"(.+?)\", at byte \\d+ in (?:line|record/value) (\\d+): (.+)");

    private DuckDbErrors() {}

    /**
     * The exception to throw for a failed query over the user's files.
     *
     * @param path the path the user gave (a file, or a directory of partitions)
     * @param files the files read, in {@code format}
     */
    public static RuntimeException translate(SQLException e, String path, List<Path> files, DataFormat format) {
        return translate(e, path, files, format, format.delimiter());
    }

    /** As {@link #translate(SQLException, String, List, DataFormat)}, for delimited files read with {@code delimiter}. */
    public static RuntimeException translate(SQLException e, String path, List<Path> files, DataFormat format, char delimiter) {
        String message = Sql.globUnescaped(String.valueOf(e.getMessage()));
        String fallbackFile = files.size() == 1 ? files.get(0).toString() : path;
        Matcher sniff = SNIFF_FILE.matcher(message);
        if (sniff.find()) {
            Path file = Path.of(sniff.group(1));
            Optional<String> problem = CsvDiagnosis.firstProblem(file, delimiter);
            return new BadInputException(file + problem.map(p -> " " + p).orElse(": not a well-formed "
                    + format.name() + " file (DuckDB cannot detect its dialect)"), e);
        }
        Matcher csvLine = CSV_LINE.matcher(message);
        if (csvLine.find()) {
            Matcher fileOption = FILE_OPTION.matcher(message);
            String file = fileOption.find() ? fileOption.group(1).trim() : fallbackFile;
            return new BadInputException(file + " line " + csvLine.group(1) + ": " + csvReason(message), e);
        }
        Matcher json = JSON.matcher(message);
        if (json.find()) {
            return new BadInputException(json.group(1) + " line " + json.group(2) + ": malformed JSON: " + json.group(3).trim(), e);
        }
        if (message.contains("expected records, but got non-record JSON")) {
            return new BadInputException(fallbackFile + ": not JSON records: every record must be an object ({\"column\": value, …})", e);
        }
        if (message.contains("No files found that match")) {
            return new BadInputException("data file not found: " + fallbackFile, e);
        }
        if (message.contains("No magic bytes found") || message.contains("too small to be a Parquet file")) {
            return new BadInputException(fallbackFile + ": not a Parquet file (" + withoutErrorKind(message) + ")", e);
        }
        if (message.startsWith("Invalid Input Error") || message.startsWith("Conversion Error")
                || message.startsWith("IO Error") || message.startsWith("Binder Error")) {
            return new BadInputException(fallbackFile + ": " + withoutErrorKind(message), e);
        }
        if (message.startsWith("Out of Memory Error")) {
            return new InfrastructureException("DuckDB ran out of its memory limit while reading " + fallbackFile + " ("
                    + withoutErrorKind(message).replaceFirst("^Out of Memory Error: ", "")
                    + "); raise --memory-limit or lower --threads", e);
        }
        return new InfrastructureException("DuckDB failed while reading " + fallbackFile + ": " + withoutErrorKind(message), e);
    }

    private static String csvReason(String message) {
        Matcher columns = COLUMNS.matcher(message);
        if (columns.find()) {
            return "ragged row: " + columns.group(2) + " fields where the header has " + columns.group(1);
        }
        if (message.contains("unterminated quote")) {
            return "unterminated quote: a quoted value is never closed";
        }
        Matcher conversion = CONVERSION.matcher(message);
        if (conversion.find()) {
            Matcher column = CONVERTED_COLUMN.matcher(message);
            return "column " + (column.find() ? column.group(1) : "?") + ": value \"" + conversion.group(1)
                    + "\" is not " + conversion.group(2) + ", the type the sampled rows of this column have";
        }
        return withoutErrorKind(message.replaceFirst("(?s)^.*?CSV Error on Line: \\d+\\s*", "").replaceFirst("(?m)^Original Line:.*\\R", ""));
    }

    private static String withoutErrorKind(String message) {
        return Messages.firstLine(message).replaceFirst("^(Invalid Input|Conversion|IO|Binder) Error: ", "");
    }
}
