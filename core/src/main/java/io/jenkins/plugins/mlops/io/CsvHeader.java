package io.jenkins.plugins.mlops.io;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the header of a delimited file before DuckDB reads it, because DuckDB repairs a bad one
 * silently: it names an empty column {@code column1}, renames a repeated one {@code a_1}, and a
 * semicolon file read with commas becomes one column {@code a;b;c}. Each is bad input here.
 */
public final class CsvHeader {
    private static final char[] DELIMITERS = {',', ';', '\t', '|'};

    private CsvHeader() {}

    /**
     * @param delimiterGiven whether the user chose {@code delimiter}; only a defaulted one is
     *     second-guessed
     */
    public static void check(Path file, char delimiter, boolean delimiterGiven) {
        List<String> names = CsvDiagnosis.header(file, delimiter);
        if (names.size() == 1 && !delimiterGiven) {
            for (char other : DELIMITERS) {
                int columns = CsvDiagnosis.header(file, other).size();
                if (other != delimiter && columns > 1) {
                    throw new BadInputException(file + ": the header " + quoted(names.get(0)) + " is one column split on "
                            + shown(delimiter) + " but " + columns + " split on " + shown(other) + ": the file looks "
                            + shown(other) + "-delimited; pass --delimiter " + option(other));
                }
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.isBlank()) {
                throw new BadInputException(file + " line 1: header column " + (i + 1) + " has no name; name every column");
            }
            Integer first = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
            if (first != null) {
                throw new BadInputException(file + " line 1: header column " + (i + 1) + " " + quoted(name) + " repeats column "
                        + (first + 1) + " " + quoted(names.get(first)) + " (column names ignore case); give each column its own name");
            }
        }
    }

    /** A delimiter as the user writes it on the command line: one character, or {@code \t} / {@code tab}. */
    public static char parseDelimiter(String text) {
        if (text == null) {
            throw new BadInputException("--delimiter: give one character, e.g. ';', '|' or '\\t'");
        }
        String value = text.equals("\\t") || text.equalsIgnoreCase("tab") ? "\t" : text;
        if (value.length() != 1 || value.charAt(0) == '"' || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
            throw new BadInputException("--delimiter: '" + text + "' is not one character other than a quote or a line break;"
                    + " e.g. ';', '|' or '\\t'");
        }
        return value.charAt(0);
    }

    private static String shown(char delimiter) {
        return delimiter == '\t' ? "tab" : "'" + delimiter + "'";
    }

    private static String option(char delimiter) {
        return delimiter == '\t' ? "'\\t'" : "'" + delimiter + "'";
    }

    private static String quoted(String name) {
        String clipped = name.length() > 60 ? name.substring(0, 59) + "…" : name;
        return "\"" + clipped.replace("\t", "\\t") + "\"";
    }
}
