package io.jenkins.plugins.mlops.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last lines of a training log, kept to classify a failure and to quote it: a run may print
 * gigabytes, so only a bounded tail is held, and each line is clipped.
 */
public final class LogTail {
    public static final int MAX_LINE = 2000;

    private final int capacity;
    private final Deque<String> lines;
    private long total;

    public LogTail(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
    }

    public synchronized void add(String line) {
        String clipped = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + " …" : line;
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(clipped);
        total++;
    }

    public synchronized List<String> lines() {
        return List.copyOf(new ArrayList<>(lines));
    }

    /** Every line seen, including those that no longer fit. */
    public synchronized long totalLines() {
        return total;
    }
}
