package io.jenkins.plugins.mlops.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.SampleResult;
import io.jenkins.plugins.mlops.result.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report set is one run's: never a verdict of one run beside another run's files, whatever stops the writer. */
class ReportSetTest {
    @TempDir
    Path dir;

    private final SampleResult result = SampleResult.of(Check.of("row_count", null, Status.PASS, 100, ">= 1", "enough rows"));

    @Test
    void discardRemovesTheSetAndWhatAnInterruptedWriteLeftButNothingElse() throws IOException {
        ReportWriter.write(dir, "gate", result, "Gate", List.of());
        ReportWriter.write(dir, "validation", result, "Validation", List.of());
        Path leftover = Files.createDirectories(dir.resolve(".gate.1234.partial"));
        Files.writeString(leftover.resolve("gate.json"), "{}");

        ReportWriter.discard(dir, "gate");

        assertThat(names()).containsExactlyInAnyOrder("validation.json", "validation-junit.xml", "validation.html",
                HtmlReport.STYLESHEET);
    }

    @Test
    void discardOfAReportPathThatIsAFileIsBadInput() throws IOException {
        Path file = Files.writeString(dir.resolve("reports"), "not a directory");

        assertThatThrownBy(() -> ReportWriter.discard(file, "gate")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("not a directory");
        assertThat(file).hasContent("not a directory");
    }

    @Test
    void aWriteLeavesTheWholeSetAndNoStagingDirectory() throws IOException {
        ReportWriter.write(dir, "gate", result, "Gate", List.of());

        assertThat(names()).containsExactlyInAnyOrder("gate.json", "gate-junit.xml", "gate.html", HtmlReport.STYLESHEET);
    }

    @Test
    void aWriteThatRunsOutOfSpaceLeavesNoFileOfTheSet() throws Exception {
        ReportWriter.write(dir, "churn", result, "Churn", List.of());
        // The file system refuses the write as a full one does: a file-size limit (ulimit -f,
        // in KiB) makes the kernel fail the write with EFBIG, as ENOSPC on a full disk.
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -f 256 && exec \"$@\"", "bash"));
        command.addAll(javaCommand(1 << 20));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isNotZero();
        assertThat(output).contains("File too large");
        assertThat(names()).as("neither the old set nor a part of the new one").containsExactly(HtmlReport.STYLESHEET);
    }

    @Test
    void killMinus9WhileWritingNeverLeavesFilesOfTwoRuns() throws Exception {
        Random random = new Random(9);
        int kills = 0;
        int caughtMidWrite = 0;
        for (int attempt = 0; attempt < 12; attempt++) {
            Process churn = start(4 << 20);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(churn.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).as("the child wrote its first set").isEqualTo("ready");
                Thread.sleep(random.nextInt(300));
                churn.destroyForcibly();
                assertThat(churn.waitFor(30, TimeUnit.SECONDS)).isTrue();
                kills++;
            }
            Set<String> runs = new LinkedHashSet<>();
            List<String> present = new ArrayList<>();
            for (Path file : ReportWriter.files(dir, "churn")) {
                if (Files.exists(file)) {
                    present.add(file.getFileName().toString());
                    try (BufferedReader reader = Files.newBufferedReader(file)) {
                        runs.add(reader.readLine());
                    }
                }
            }
            assertThat(runs).as("runs of the files present after a kill: %s", present).hasSizeLessThanOrEqualTo(1);
            if (present.contains("churn.json")) {
                assertThat(present).as("a verdict comes with its whole set").contains("churn.html", "churn-junit.xml");
            }
            if (present.size() < 3) {
                caughtMidWrite++;
            }
        }
        assertThat(kills).isEqualTo(12);
        // Most kills land while a set is being replaced; otherwise the test proved nothing.
        assertThat(caughtMidWrite).as("kills that caught a set being replaced").isPositive();
    }

    private Process start(int bytes) throws IOException {
        return new ProcessBuilder(javaCommand(bytes)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private List<String> javaCommand(int bytes) {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), ReportSetChurn.class.getName(), dir.toString(), String.valueOf(bytes));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
