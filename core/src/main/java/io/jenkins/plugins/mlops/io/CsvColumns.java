package io.jenkins.plugins.mlops.io;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What DuckDB's sniffer found in a CSV file: its columns' names and types and the date and
 * timestamp formats it detected. Given to the reader, it replaces the sniffer on every later
 * scan of the file, which otherwise samples 20,480 rows again before each query.
 *
 * @param dateFormat the strptime format of DATE columns, or null where the sniffer reported none
 * @param timestampFormat the same for TIMESTAMP columns
 */
public record CsvColumns(List<String> names, List<String> types, String dateFormat, String timestampFormat) {
    public CsvColumns {
        names = List.copyOf(names);
        types = List.copyOf(types);
        if (names.size() != types.size() || names.isEmpty()) {
            throw new IllegalArgumentException("one type per column, at least one column: " + names + " " + types);
        }
    }

    /** The read_csv options that pin these columns instead of sniffing them. */
    String readerOptions() {
        String columns = IntStream.range(0, names.size())
                .mapToObj(i -> Sql.literal(names.get(i)) + ": " + Sql.literal(types.get(i)))
                .collect(Collectors.joining(", ", "{", "}"));
        return ", auto_detect = false, columns = " + columns
                + (dateFormat == null ? "" : ", dateformat = " + Sql.literal(dateFormat))
                + (timestampFormat == null ? "" : ", timestampformat = " + Sql.literal(timestampFormat));
    }
}
