package io.jenkins.plugins.mlops.deploy.router;

import io.netty.buffer.ByteBuf;

/**
 * Follows a chunked body as its bytes are relayed unchanged, to know where it ends (so the
 * upstream connection can be reused) and which bytes are data (the start of the answer that is
 * kept). Trailers are passed through. A framing it cannot read is {@link #malformed()}.
 */
final class ChunkScanner {
    private static final int SIZE = 0;
    private static final int EXTENSION = 1;
    private static final int SIZE_LF = 2;
    private static final int DATA = 3;
    private static final int DATA_CR = 4;
    private static final int DATA_LF = 5;
    private static final int TRAILER_START = 6;
    private static final int TRAILER = 7;
    private static final int LAST_LF = 8;
    private static final int DONE = 9;
    private static final int MALFORMED = 10;

    private int state = SIZE;
    private long size;
    private int digits;

    /** Scans {@code in}'s readable bytes, handing data bytes to {@code data}; returns how many bytes belong to the body. */
    int scan(ByteBuf in, BodyCapture data) {
        int i = in.readerIndex();
        int stop = in.writerIndex();
        while (i < stop && state < DONE) {
            byte b = in.getByte(i);
            switch (state) {
                case SIZE -> {
                    int digit = Character.digit(b, 16);
                    if (digit >= 0 && digits < 15) {
                        size = size * 16 + digit;
                        digits++;
                    } else if (digits > 0 && (b == ';' || b == ' ' || b == '\t')) {
                        state = EXTENSION;
                    } else if (digits > 0 && b == '\r') {
                        state = SIZE_LF;
                    } else {
                        state = MALFORMED;
                    }
                    i++;
                }
                case EXTENSION -> {
                    if (b == '\r') {
                        state = SIZE_LF;
                    } else if (b == '\n') {
                        state = MALFORMED;
                    }
                    i++;
                }
                case SIZE_LF -> {
                    state = b != '\n' ? MALFORMED : size == 0 ? TRAILER_START : DATA;
                    i++;
                }
                case DATA -> {
                    int n = (int) Math.min(size, stop - i);
                    data.add(in, i, n);
                    size -= n;
                    i += n;
                    if (size == 0) {
                        state = DATA_CR;
                    }
                }
                case DATA_CR -> {
                    state = b == '\r' ? DATA_LF : MALFORMED;
                    i++;
                }
                case DATA_LF -> {
                    if (b == '\n') {
                        state = SIZE;
                        digits = 0;
                    } else {
                        state = MALFORMED;
                    }
                    i++;
                }
                case TRAILER_START -> {
                    state = b == '\r' ? LAST_LF : TRAILER;
                    i++;
                }
                case TRAILER -> {
                    if (b == '\n') {
                        state = TRAILER_START;
                    }
                    i++;
                }
                case LAST_LF -> {
                    state = b == '\n' ? DONE : MALFORMED;
                    i++;
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        return i - in.readerIndex();
    }

    boolean done() {
        return state == DONE;
    }

    boolean malformed() {
        return state == MALFORMED;
    }
}
