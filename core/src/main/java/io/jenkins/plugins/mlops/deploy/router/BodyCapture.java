package io.jenkins.plugins.mlops.deploy.router;

import io.vertx.core.buffer.Buffer;

/** The first bytes of a body that the router streams on, up to a limit, and the whole body's length. */
final class BodyCapture {
    private final int limit;
    private final Buffer kept = Buffer.buffer();
    private long length;

    BodyCapture(int limit) {
        this.limit = limit;
    }

    void add(Buffer chunk) {
        length += chunk.length();
        int room = limit - kept.length();
        if (room > 0) {
            kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
        }
    }

    /** Adds {@code length} bytes of {@code from} at {@code index}, without moving its indices. */
    void add(io.netty.buffer.ByteBuf from, int index, int length) {
        this.length += length;
        int room = limit - kept.length();
        if (room > 0) {
            byte[] bytes = new byte[Math.min(room, length)];
            from.getBytes(index, bytes);
            kept.appendBytes(bytes);
        }
    }

    byte[] bytes() {
        return kept.getBytes();
    }

    long length() {
        return length;
    }
}
