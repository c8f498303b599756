package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.Redaction;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * What the command prints, line by line through {@link Redaction}: progress, summaries, errors,
 * the training script's log, picocli's own usage messages. A line is redacted whole, so a secret
 * is never split between two writes; a flush without a newline passes the partial line on.
 */
final class RedactingPrintWriter extends PrintWriter {

    RedactingPrintWriter(PrintWriter target) {
        super(new LineRedactor(target), true);
    }

    private static final class LineRedactor extends Writer {
        private final PrintWriter target;
        private final StringBuilder line = new StringBuilder();

        LineRedactor(PrintWriter target) {
            this.target = target;
        }

        @Override
        public synchronized void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                line.append(buffer[i]);
                if (buffer[i] == '\n') {
                    emit();
                }
            }
        }

        @Override
        public synchronized void flush() {
            emit();
            target.flush();
        }

        @Override
        public synchronized void close() {
            flush();
        }

        private void emit() {
            if (line.length() > 0) {
                target.write(Redaction.redact(line.toString()));
                line.setLength(0);
            }
        }
    }
}
