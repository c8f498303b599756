package io.jenkins.plugins.mlops.data;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Wall and CPU time since it started, for progress lines: CPU is the whole process's (DuckDB's
 * native threads included), so CPU close to twice the wall says both cores of a 2-core agent were busy.
 */
final class Stopwatch {
    private final long wallNanos = System.nanoTime();
    private final long cpuNanos = processCpuNanos();

    static Stopwatch start() {
        return new Stopwatch();
    }

    double seconds() {
        return (System.nanoTime() - wallNanos) / 1e9;
    }

    /** e.g. {@code 2.1 s, CPU 3.9 s}; without CPU where the runtime cannot tell it. */
    String elapsed() {
        long cpu = processCpuNanos();
        return cpu < 0 ? String.format(Locale.ROOT, "%.1f s", seconds())
                : String.format(Locale.ROOT, "%.1f s, CPU %.1f s", seconds(), (cpu - cpuNanos) / 1e9);
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
