package io.jenkins.plugins.mlops.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a tar stream's entry names (ustar, GNU long names, PAX paths), handing each entry's body to a visitor. */
final class TarReader {
    private TarReader() {}

    interface Visitor {
        /** {@code body} reads this entry's bytes only; unread bytes are skipped. */
        void entry(String name, long size, InputStream body) throws IOException;
    }

    static void forEach(InputStream in, Visitor visitor) throws IOException {
        byte[] header = new byte[512];
        String longName = null;
        long paxSize = -1;
        while (readFully(in, header)) {
            if (allZero(header)) {
                return;
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty() && header[257] == 'u') {
                name = prefix + "/" + name;
            }
            char type = (char) header[156];
            long size = paxSize >= 0 && type != 'x' && type != 'L' ? paxSize : octal(header, 124, 12);
            long padded = (size + 511) / 512 * 512;
            if (type == 'x' || type == 'L') {
                byte[] data = in.readNBytes((int) size);
                skip(in, padded - size);
                String value = new String(data, StandardCharsets.UTF_8);
                longName = type == 'L' ? value.replace("\0", "") : pax(value, "path", longName);
                paxSize = type == 'x' ? paxSize(pax(value, "size", String.valueOf(paxSize))) : paxSize;
                continue;
            }
            if (type == 'g') {
                skip(in, padded);
                continue;
            }
            String entryName = longName != null ? longName : name;
            longName = null;
            paxSize = -1;
            BoundedInput body = new BoundedInput(in, size);
            visitor.entry(entryName, size, body);
            skip(in, body.remaining + padded - size);
        }
    }

    /** The value of {@code key} among PAX records ({@code LENGTH KEY=VALUE}), else {@code previous}. */
    private static String pax(String records, String key, String previous) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith(key + "=", space + 1)) {
                return record.substring(space + key.length() + 2);
            }
        }
        return previous;
    }

    private static long paxSize(String value) throws IOException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException("a PAX header has a malformed size '" + value + "'", e);
        }
    }

    private static boolean readFully(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, block.length);
        if (n == 0) {
            return false;
        }
        if (n < block.length) {
            throw new IOException("the tar stream ends inside a header");
        }
        return true;
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] block, int offset, int length) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] block, int offset, int length) throws IOException {
        if ((block[offset] & 0x80) != 0) {
            long value = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                value = value << 8 | (block[i] & 0xff);
            }
            return value;
        }
        String digits = text(block, offset, length).strip();
        try {
            return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new IOException("a tar header has a malformed size '" + digits + "'", e);
        }
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("the tar stream ends inside an entry");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** An entry's body: reads stop at its end, and what the visitor left unread is counted for skipping. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInput(InputStream in, long size) {
            this.in = in;
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // The archive's stream stays open for the next entry.
        }
    }
}
