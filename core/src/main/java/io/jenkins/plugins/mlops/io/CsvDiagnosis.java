package io.jenkins.plugins.mlops.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Finds the first malformed record of a delimited file (RFC 4180): a row whose field count
 * differs from the header's, or a quoted value that is never closed. Used only after DuckDB's
 * sniffer gave up on a file, because the sniffer names no line; the scan itself stays in DuckDB.
 */
public final class CsvDiagnosis {
    private static final int MAX_HEADER = 16 << 20;

    private CsvDiagnosis() {}

    /** The problem, as "line N: what is wrong", or empty when the file is well-formed. */
    public static Optional<String> firstProblem(Path file, char delimiter) {
        try (Reader reader = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16)) {
            return scan(reader, delimiter);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * The names of the first record (the header), RFC 4180 quotes undone; at most
     * {@code MAX_HEADER} characters are read, so a file without line breaks is not read whole.
     */
    public static List<String> header(Path file, char delimiter) {
        try (Reader reader = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16)) {
            return header(reader, delimiter);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<String> header(Reader reader, char delimiter) throws IOException {
        List<String> names = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        boolean inQuotes = false;
        int c = reader.read();
        if (c == '\uFEFF') {
            c = reader.read();
        }
        for (int read = 0; c != -1 && read < MAX_HEADER; c = reader.read(), read++) {
            if (inQuotes) {
                if (c == '"') {
                    reader.mark(1);
                    if (reader.read() == '"') {
                        name.append('"');
                        continue;
                    }
                    reader.reset();
                    inQuotes = false;
                } else {
                    name.append((char) c);
                }
            } else if (c == '"') {
                inQuotes = true;
            } else if (c == delimiter) {
                names.add(name.toString());
                name.setLength(0);
            } else if (c == '\n') {
                break;
            } else if (c != '\r') {
                name.append((char) c);
            }
        }
        names.add(name.toString());
        return names;
    }

    public static Optional<String> scan(Reader reader, char delimiter) throws IOException {
        long line = 1;
        long recordStartLine = 1;
        long quoteOpenedLine = 0;
        int fields = 1;
        int headerFields = -1;
        boolean inQuotes = false;
        boolean afterClosingQuote = false;
        boolean fieldStart = true;
        boolean recordEmpty = true;
        int c;
        while ((c = reader.read()) != -1) {
            if (inQuotes) {
                if (c == '"') {
                    reader.mark(1);
                    int next = reader.read();
                    if (next == '"') {
                        continue;
                    }
                    inQuotes = false;
                    afterClosingQuote = true;
                    if (next == -1) {
                        break;
                    }
                    reader.reset();
                } else if (c == '\n') {
                    line++;
                }
                continue;
            }
            if (c == '\r') {
                continue;
            }
            if (c == '\n' || c == delimiter) {
                if (c == '\n') {
                    if (!recordEmpty) {
                        if (headerFields < 0) {
                            headerFields = fields;
                        } else if (fields != headerFields) {
                            return Optional.of(ragged(recordStartLine, headerFields, fields));
                        }
                    }
                    line++;
                    recordStartLine = line;
                    fields = 1;
                    recordEmpty = true;
                } else {
                    fields++;
                    recordEmpty = false;
                }
                fieldStart = true;
                afterClosingQuote = false;
                continue;
            }
            recordEmpty = false;
            if (afterClosingQuote) {
                return Optional.of("line " + line + ": text after a closing quote; quote the whole value and double inner quotes (\"\")");
            }
            if (c == '"') {
                if (!fieldStart) {
                    return Optional.of("line " + line + ": a quote inside an unquoted value; quote the whole value and double inner quotes (\"\")");
                }
                inQuotes = true;
                quoteOpenedLine = line;
            }
            fieldStart = false;
        }
        if (inQuotes) {
            return Optional.of("line " + quoteOpenedLine + ": unterminated quote: the quoted value opened on this line is never closed");
        }
        if (!recordEmpty && headerFields >= 0 && fields != headerFields) {
            return Optional.of(ragged(recordStartLine, headerFields, fields));
        }
        return Optional.empty();
    }

    private static String ragged(long line, int expected, int found) {
        return "line " + line + ": ragged row: " + found + " fields where the header has " + expected;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
