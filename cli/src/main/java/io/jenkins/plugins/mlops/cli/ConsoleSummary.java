package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The console view of a result: the summary sentence, then a table of the checks that did not
 * pass (a build log is read for what went wrong), then a count of those that did.
 */
final class ConsoleSummary {
    private static final int MAX_CELL = 48;

    private ConsoleSummary() {}

    static void print(StepResult result, PrintWriter out) {
        out.printf(Locale.ROOT, "%s %s: %s (%.2f s)%n", result.step(), result.status(), result.summary(), result.durationS());
        List<Check> notPassed = result.checks().stream().filter(c -> c.status() != Status.PASS).toList();
        if (!notPassed.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"STATUS", "CHECK", "COLUMN", "OBSERVED", "EXPECTED"});
            for (Check check : notPassed) {
                rows.add(new String[] {check.status().name(), check.name(), orDash(check.column()),
                    orDash(check.observed()), orDash(check.expected())});
            }
            printTable(rows, out);
        }
        long passed = result.checks().size() - notPassed.size();
        out.printf(Locale.ROOT, "%d of %d checks passed%n", passed, result.checks().size());
    }

    private static void printTable(List<String[]> rows, PrintWriter out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                row[i] = clip(row[i]);
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < columns; i++) {
                line.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i]));
                if (i < columns - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String clip(String text) {
        return text.length() <= MAX_CELL ? text : text.substring(0, MAX_CELL - 1) + "…";
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }
}
