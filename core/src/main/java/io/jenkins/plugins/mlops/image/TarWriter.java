package io.jenkins.plugins.mlops.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a POSIX tar stream (ustar headers, PAX records for long names) with every entry's
 * owner root, a fixed time and no user or group names, so that the same files make the same
 * bytes on any machine: that is what makes a layer's digest reproducible.
 */
final class TarWriter {
    private static final int BLOCK = 512;
    /** The most a ustar size field holds (11 octal digits, 8 GiB); a larger file's size travels in a PAX record. */
    private static final long USTAR_MAX_SIZE = 077777777777L;
    /** One second past the epoch, as Jib does: some tools read a zero time as "unset". */
    static final long MTIME = 1;

    private final OutputStream out;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void directory(String name, int mode) throws IOException {
        header(name.endsWith("/") ? name : name + "/", mode, 0, '5', "");
    }

    void symlink(String name, String target) throws IOException {
        header(name, 0777, 0, '2', target);
    }

    void file(String name, int mode, long size, InputStream content) throws IOException {
        header(name, mode, size, '0', "");
        long copied = content.transferTo(out);
        if (copied != size) {
            throw new IOException(name + " changed while it was archived (" + size + " bytes expected, " + copied + " read)");
        }
        pad(size);
    }

    /** The two empty blocks that end an archive. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void header(String name, int mode, long size, char type, String link) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        boolean longName = nameBytes.length > 100 || !ascii(name);
        boolean longLink = linkBytes.length > 100 || !ascii(link);
        boolean largeFile = size > USTAR_MAX_SIZE;
        if (longName || longLink || largeFile) {
            StringBuilder pax = new StringBuilder();
            if (largeFile) {
                pax.append(paxRecord("size", String.valueOf(size)));
            }
            if (longName) {
                pax.append(paxRecord("path", name));
            }
            if (longLink) {
                pax.append(paxRecord("linkpath", link));
            }
            byte[] records = pax.toString().getBytes(StandardCharsets.UTF_8);
            out.write(block("PaxHeader/" + shortName(name), 0644, records.length, 'x', ""));
            out.write(records);
            pad(records.length);
        }
        out.write(block(longName ? shortName(name) : name, mode, largeFile ? 0 : size, type, longLink ? "" : link));
    }

    private static byte[] block(String name, int mode, long size, char type, String link) {
        byte[] b = new byte[BLOCK];
        put(b, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(b, 100, 8, mode);
        octal(b, 108, 8, 0);
        octal(b, 116, 8, 0);
        octal(b, 124, 12, size);
        octal(b, 136, 12, MTIME);
        for (int i = 148; i < 156; i++) {
            b[i] = ' ';
        }
        b[156] = (byte) type;
        put(b, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(b, 257, 8, "ustar\u000000".getBytes(StandardCharsets.US_ASCII));
        octal(b, 329, 8, 0);
        octal(b, 337, 8, 0);
        long sum = 0;
        for (byte x : b) {
            sum += x & 0xff;
        }
        byte[] checksum = String.format(java.util.Locale.ROOT, "%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, b, 148, 6);
        b[154] = 0;
        b[155] = ' ';
        return b;
    }

    /** A PAX record: its length counts its own digits. */
    private static String paxRecord(String key, String value) {
        int body = key.length() + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int length = body + String.valueOf(body).length();
        if (String.valueOf(length).length() != String.valueOf(body).length()) {
            length++;
        }
        return length + " " + key + "=" + value + "\n";
    }

    /** The ustar name field of an entry whose real name travels in a PAX record: its ASCII tail. */
    private static String shortName(String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7e]", "_");
        return ascii.length() > 90 ? ascii.substring(ascii.length() - 90) : ascii;
    }

    private static boolean ascii(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    private static void put(byte[] block, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, block, offset, Math.min(length, value.length));
    }

    private static void octal(byte[] block, int offset, int length, long value) {
        String digits = String.format(java.util.Locale.ROOT, "%0" + (length - 1) + "o", value);
        put(block, offset, length - 1, digits.getBytes(StandardCharsets.US_ASCII));
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
