package io.jenkins.plugins.mlops.deploy.router;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A light parse of an HTTP/1.1 message head held in a buffer: the start line and each header
 * line's name and value as offsets into the buffer, nothing copied. Strict on purpose: a head it
 * does not fully understand (a bare LF, a folded line, a name that is not a token, a control
 * character in a value, too many lines) is {@link #parse}d to null, and the caller hands the
 * connection to the full HTTP stack instead of guessing.
 */
final class HeadLines {
    static final int MAX_LINES = 100;

    /** Start of each line, and of each header's name, value and value end; index 0 is the start line. */
    final int[] lineStart = new int[MAX_LINES + 1];
    final int[] nameEnd = new int[MAX_LINES + 1];
    final int[] valueStart = new int[MAX_LINES + 1];
    final int[] valueEnd = new int[MAX_LINES + 1];
    /** Header lines (the start line not counted). */
    int headers;
    /** Where the head ends: the index after its empty line's LF. */
    int end;
    int startLineEnd;
    ByteBuf buffer;

    /**
     * Parses the head at {@code buffer}'s reader index, up to {@code maxBytes}. Returns 1 when a whole
     * head was parsed, 0 when more bytes are needed, -1 when it is not a head this parser takes.
     */
    int parse(ByteBuf in, int maxBytes) {
        buffer = in;
        int from = in.readerIndex();
        int limit = Math.min(in.writerIndex(), from + maxBytes);
        int line = 0;
        int start = from;
        while (true) {
            int lf = in.indexOf(start, limit, (byte) '\n');
            if (lf < 0) {
                return limit - from >= maxBytes ? -1 : 0;
            }
            if (lf == start || in.getByte(lf - 1) != '\r') {
                return -1;
            }
            int lineEnd = lf - 1;
            if (lineEnd == start) {
                if (line == 0) {
                    return -1;
                }
                end = lf + 1;
                headers = line - 1;
                return 1;
            }
            if (line == 0) {
                startLineEnd = lineEnd;
                lineStart[0] = start;
            } else if (line > MAX_LINES || !header(in, line, start, lineEnd)) {
                return -1;
            }
            line++;
            start = lf + 1;
        }
    }

    private boolean header(ByteBuf in, int line, int start, int lineEnd) {
        int i = start;
        while (i < lineEnd && token(in.getByte(i))) {
            i++;
        }
        if (i == start || i == lineEnd || in.getByte(i) != ':') {
            return false;
        }
        lineStart[line] = start;
        nameEnd[line] = i;
        i++;
        while (i < lineEnd && ows(in.getByte(i))) {
            i++;
        }
        int valueFrom = i;
        int last = i;
        for (; i < lineEnd; i++) {
            byte b = in.getByte(i);
            if (b < 0x20 && b != '\t' || b == 0x7f) {
                return false;
            }
            if (!ows(b)) {
                last = i + 1;
            }
        }
        valueStart[line] = valueFrom;
        valueEnd[line] = last;
        return true;
    }

    /** The header line's index (1-based) whose name is {@code name}, ignoring case, from {@code after + 1}; -1 if none. */
    int find(String name, int after) {
        int length = name.length();
        for (int line = after + 1; line <= headers; line++) {
            if (nameEnd[line] - lineStart[line] == length && nameIs(line, name)) {
                return line;
            }
        }
        return -1;
    }

    boolean nameIs(int line, String lowerCase) {
        return bytesAre(lineStart[line], nameEnd[line], lowerCase);
    }

    int nameLength(int line) {
        return nameEnd[line] - lineStart[line];
    }

    String value(int line) {
        return buffer.toString(valueStart[line], valueEnd[line] - valueStart[line], StandardCharsets.ISO_8859_1);
    }

    /** The first value of {@code name} (lower case), or null. */
    String value(String name) {
        int line = find(name, 0);
        return line < 0 ? null : value(line);
    }

    /** True when the value of {@code line} equals {@code lowerCase} ignoring case. */
    boolean valueIs(int line, String lowerCase) {
        return bytesAre(valueStart[line], valueEnd[line], lowerCase);
    }

    /** True when the bytes from {@code start} to {@code end} spell {@code lowerCase} in any case (HTTP's names are ASCII). */
    private boolean bytesAre(int start, int end, String lowerCase) {
        if (end - start != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < lowerCase.length(); i++) {
            int b = buffer.getByte(start + i);
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when a comma-separated value of {@code line} holds the token {@code lowerCase}, e.g. Connection: keep-alive, close. */
    boolean valueHas(int line, String lowerCase) {
        // Scanned in place: a String and a split per Connection header was 7% of the router's allocation.
        int stop = valueEnd[line];
        int from = valueStart[line];
        while (from <= stop) {
            int comma = buffer.indexOf(from, stop, (byte) ',');
            int to = comma < 0 ? stop : comma;
            int start = from;
            while (start < to && isBlank(buffer.getByte(start))) {
                start++;
            }
            int end = to;
            while (end > start && isBlank(buffer.getByte(end - 1))) {
                end--;
            }
            if (bytesAre(start, end, lowerCase)) {
                return true;
            }
            from = to + 1;
        }
        return false;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** The decimal value of {@code line}, or -1 when it is not one (or too long to be a length). */
    long number(int line) {
        int start = valueStart[line];
        int stop = valueEnd[line];
        if (stop == start || stop - start > 18) {
            return -1;
        }
        long n = 0;
        for (int i = start; i < stop; i++) {
            byte b = buffer.getByte(i);
            if (b < '0' || b > '9') {
                return -1;
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }

    /** The line's bytes with its CRLF: where {@code line} starts and how long it is. */
    int lineLength(int line) {
        int next = line < headers ? lineStart[line + 1] : end - 2;
        return next - lineStart[line];
    }

    String startLine() {
        return buffer.toString(lineStart[0], startLineEnd - lineStart[0], StandardCharsets.ISO_8859_1);
    }

    private static boolean token(byte b) {
        return b > 32 && b < 127 && "()<>@,;:\\\"/[]?={}".indexOf(b) < 0;
    }

    private static boolean ows(byte b) {
        return b == ' ' || b == '\t';
    }
}
