package io.jenkins.plugins.mlops.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The first character of a text data file that is not blank (Unicode spaces and a UTF-8 byte
 * order mark skipped): what tells a JSON array from JSON lines, and a file of nothing but blank
 * lines, which DuckDB would read as a row or two of NULLs, from data.
 */
public final class DataFileStart {
    /** No character but blanks: the file holds no data. */
    public static final int BLANK = -1;

    private DataFileStart() {}

    /**
     * @return the first non-blank byte, or {@link #BLANK}; {@code '?'} for a Zstandard file,
     *     whose content is left to DuckDB
     */
    public static int firstNonBlank(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".zst")) {
            return '?';
        }
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                for (int i = 0; i < read; i++) {
                    int c = buffer[i] & 0xFF;
                    if (!isBlank(c)) {
                        return c;
                    }
                }
            }
            return BLANK;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isBlank(int c) {
        // ASCII whitespace, and the bytes of a UTF-8 BOM (EF BB BF) and of a no-break space (C2 A0).
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B
                || c == 0xEF || c == 0xBB || c == 0xBF || c == 0xC2 || c == 0xA0;
    }
}
