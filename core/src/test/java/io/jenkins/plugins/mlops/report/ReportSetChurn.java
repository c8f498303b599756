package io.jenkins.plugins.mlops.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A child JVM for {@link ReportSetTest}: writes report sets over and over as a step does (discard
 * the previous set, write the new one), each file starting with its run's number, large enough
 * that a kill lands inside a write. Prints "ready" once the first set is complete.
 */
public final class ReportSetChurn {
    private ReportSetChurn() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int bytes = Integer.parseInt(args[1]);
        String padding = "x".repeat(bytes);
        for (long run = 1; ; run++) {
            ReportWriter.discard(dir, "churn");
            Map<Path, String> set = new LinkedHashMap<>();
            List<Path> files = ReportWriter.files(dir, "churn");
            for (Path file : files) {
                set.put(file, "run " + run + "\n" + padding);
            }
            ReportWriter.write(dir, "churn", set);
            if (run == 1) {
                System.out.println("ready");
                System.out.flush();
            }
        }
    }
}
