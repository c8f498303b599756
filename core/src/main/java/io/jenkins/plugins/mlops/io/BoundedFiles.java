package io.jenkins.plugins.mlops.io;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file the user named with a cap on the bytes read, not only on the size the file
 * system reports: a character device ({@code /dev/zero}), a FIFO or a file that grows reports 0
 * or less than it yields, and reading it whole would end in {@code OutOfMemoryError}. Crossing the
 * cap is bad input naming the file; text is strict UTF-8 ({@code MalformedInputException}).
 */
public final class BoundedFiles {
    private BoundedFiles() {}

    /**
     * @param hint what the message says after "FILE is larger than N", e.g. "a pipeline file is a few dozen lines"
     */
    public static String readString(Path file, long maxBytes, String hint) throws IOException {
        try (InputStream in = open(file, maxBytes, hint)) {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(in.readAllBytes())).toString();
        }
    }

    public static BufferedReader newReader(Path file, long maxBytes, String hint) throws IOException {
        return new BufferedReader(new InputStreamReader(open(file, maxBytes, hint), StandardCharsets.UTF_8.newDecoder()));
    }

    /** A stream over the file that throws {@link BadInputException} once it has yielded more than {@code maxBytes}. */
    public static InputStream open(Path file, long maxBytes, String hint) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) > maxBytes) {
            throw tooLarge(file, maxBytes, hint);
        }
        return new CappedStream(Files.newInputStream(file), file, maxBytes, hint);
    }

    private static BadInputException tooLarge(Path file, long maxBytes, String hint) {
        return new BadInputException(file + " is larger than " + ByteUnits.format(maxBytes) + "; " + hint);
    }

    private static final class CappedStream extends FilterInputStream {
        private final Path file;
        private final long maxBytes;
        private final String hint;
        private long read;

        CappedStream(InputStream in, Path file, long maxBytes, String hint) {
            super(in);
            this.file = file;
            this.maxBytes = maxBytes;
            this.hint = hint;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long bytes) {
            read += bytes;
            if (read > maxBytes) {
                throw tooLarge(file, maxBytes, hint);
            }
        }
    }
}
