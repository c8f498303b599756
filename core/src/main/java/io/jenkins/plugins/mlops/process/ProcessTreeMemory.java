package io.jenkins.plugins.mlops.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Resident memory of a process tree from {@code /proc}: the sum of VmRSS over the tree, and each
 * process's VmHWM (its own high-water mark, exact even between samples). Data loaders fork
 * workers, so the tree is what uses the machine's memory, not the root alone. Pages a forked
 * worker still shares with its parent count once per process, so the sum can exceed what a
 * cgroup charges: the watchdog errs towards stopping a tree early, never late.
 */
final class ProcessTreeMemory {
    private long peak;

    /** Whether {@code /proc} can tell the resident memory of a process here (Linux). */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/status"));
    }

    /** Samples the tree now and returns the peak so far; processes that vanish meanwhile are skipped. */
    synchronized long sample(ProcessHandle root) {
        long residentNow = 0;
        for (ProcessHandle process : (Iterable<ProcessHandle>) Stream.concat(Stream.of(root), root.descendants())::iterator) {
            long[] rssAndHighWater = read(process.pid());
            residentNow += rssAndHighWater[0];
            peak = Math.max(peak, rssAndHighWater[1]);
        }
        peak = Math.max(peak, residentNow);
        return peak;
    }

    synchronized long peak() {
        return peak;
    }

    /** {VmRSS, VmHWM} in bytes, zeros when the process is gone or /proc is not there (not Linux). */
    private static long[] read(long pid) {
        long[] values = new long[2];
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
            lines.forEach(line -> {
                if (line.startsWith("VmRSS:")) {
                    values[0] = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    values[1] = kilobytes(line);
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // The process exited between listing and reading: nothing to add.
        }
        return values;
    }

    private static long kilobytes(String line) {
        String[] parts = line.trim().split("\\s+");
        return parts.length >= 2 ? Long.parseLong(parts[1]) * 1024 : 0;
    }
}
