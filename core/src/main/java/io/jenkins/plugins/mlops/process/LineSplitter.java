package io.jenkins.plugins.mlops.process;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An OutputStream that hands on complete lines: pod logs arrive in arbitrary chunks. A line is
 * cut at {@link #MAX_LINE_BYTES}, so a log without newlines cannot fill this JVM's memory.
 */
public final class LineSplitter extends OutputStream {
    /** Room for {@link LogTail#MAX_LINE} characters of UTF-8. */
    static final int MAX_LINE_BYTES = LogTail.MAX_LINE * 4;

    private final Consumer<String> lines;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    public LineSplitter(Consumer<String> lines) {
        this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else if (current.size() < MAX_LINE_BYTES) {
            current.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void close() {
        if (current.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String line = current.toString(StandardCharsets.UTF_8);
        current.reset();
        lines.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
}
