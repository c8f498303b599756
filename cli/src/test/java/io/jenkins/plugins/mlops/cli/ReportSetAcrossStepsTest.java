package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Report sets through the step commands: a run removes its step's previous set before it starts,
 * so that bad input or a crash never leaves an old verdict for the next step to trust; other
 * steps' reports in the same directory stay; a report never replaces an input.
 */
class ReportSetAcrossStepsTest {
    @TempDir
    Path dir;

    private Path reports;
    private Path data;
    private Path baseline;
    private Path candidate;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeInputs() throws IOException {
        reports = dir.resolve("reports");
        Random random = new Random(5);
        StringBuilder rows = new StringBuilder("id,age\n");
        List<String> base = new ArrayList<>(List.of("id,y,pred"));
        List<String> cand = new ArrayList<>(List.of("id,y,pred"));
        for (int i = 0; i < 300; i++) {
            rows.append(i).append(',').append(20 + random.nextInt(50)).append('\n');
            double y = random.nextGaussian() * 5 + 20;
            base.add(String.format(Locale.ROOT, "%d,%.5f,%.5f", i, y, y + random.nextGaussian()));
            cand.add(String.format(Locale.ROOT, "%d,%.5f,%.5f", i, y, y + random.nextGaussian() * 0.7));
        }
        data = Files.writeString(dir.resolve("data.csv"), rows);
        baseline = Files.write(dir.resolve("baseline.csv"), base);
        candidate = Files.write(dir.resolve("candidate.csv"), cand);
    }

    @Test
    void validateDataThatEndsInBadInputLeavesNoVerdictAndKeepsOtherSteps() throws IOException {
        assertThat(run("gate", "--baseline", baseline, "--candidate", candidate, "--label", "y", "--prediction", "pred",
                "--resamples", "200", "--report", reports)).as(err.toString()).isEqualTo(ExitCodes.PASSED);
        assertThat(run("validate-data", "--data", data, "--report", reports)).as(err.toString()).isEqualTo(ExitCodes.PASSED);
        assertThat(reports.resolve("validation.json")).exists();
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "id,age\n1,2\n3,4,5\n");

        assertThat(run("validate-data", "--data", ragged, "--report", reports)).isEqualTo(ExitCodes.BAD_INPUT);

        assertThat(names(reports)).noneMatch(n -> n.startsWith("validation"))
                .contains("gate.json", "gate-junit.xml", "gate.html", "mlops-report.css");
    }

    @Test
    void aGateThatEndsInBadInputLeavesNoPassingGateJsonForRegister() throws IOException {
        assertThat(run("gate", "--baseline", baseline, "--candidate", candidate, "--label", "y", "--prediction", "pred",
                "--resamples", "200", "--report", reports)).as(err.toString()).isEqualTo(ExitCodes.PASSED);
        assertThat(reports.resolve("gate.json")).content().contains("\"decision\" : \"PASS\"");

        int code = run("gate", "--baseline", baseline, "--candidate", dir.resolve("missing.csv"), "--label", "y",
                "--prediction", "pred", "--report", reports);

        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(names(reports)).noneMatch(n -> n.startsWith("gate"));
    }

    @Test
    void aUsageErrorAlsoRemovesTheStepsPreviousVerdict() throws IOException {
        assertThat(run("gate", "--baseline", baseline, "--candidate", candidate, "--label", "y", "--prediction", "pred",
                "--resamples", "200", "--report", reports)).as(err.toString()).isEqualTo(ExitCodes.PASSED);
        assertThat(run("validate-data", "--data", data, "--report", reports)).as(err.toString()).isEqualTo(ExitCodes.PASSED);

        int gate = run("gate", "--resamples", "many", "--baseline", baseline, "--candidate", candidate, "--report", reports);
        int validate = run("validate-data", "--report=" + reports, "--data", data, "--threads", "several");

        assertThat(gate).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(validate).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("--resamples: 'many' is not a whole number", "--threads: 'several' is not a whole number");
        assertThat(names(reports)).noneMatch(n -> n.startsWith("gate") || n.startsWith("validation")).contains("mlops-report.css");
    }

    @Test
    void aReportThatWouldReplaceAnInputIsRefused() throws IOException {
        Path input = Files.copy(data, Files.createDirectories(reports).resolve("validation.json"));
        Path partitions = Files.createDirectories(dir.resolve("partitions"));
        Files.copy(data, partitions.resolve("part-0.csv"));

        int replacing = run("validate-data", "--data", data, "--reference", input, "--report", reports);
        String replacingMessage = err.toString();
        int inside = run("validate-data", "--data", partitions, "--report", partitions);

        assertThat(replacing).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(replacingMessage).contains("--report", "validation.json", "is the input --reference");
        assertThat(input).hasSameTextualContentAs(data);
        assertThat(inside).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("lies inside --data");
        assertThat(names(partitions)).containsExactly("part-0.csv");
    }

    @Test
    void aFullDiskExits3AndLeavesNeitherTheOldSetNorAPartOfTheNew() throws Exception {
        assertThat(run("validate-data", "--data", data, "--report", reports)).as(err.toString()).isEqualTo(ExitCodes.PASSED);

        // A file-size limit fails writes as a full disk does; the JSON and HTML are larger than 4 KiB.
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), FileSizeLimitedMlops.class.getName(), "4096",
                "validate-data", "--data", data.toString(), "--report", reports.toString(), "--quiet"));
        Process mlops = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(mlops.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(mlops.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(mlops.exitValue()).as(output).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(output).contains("validation", "File too large");
        assertThat(names(reports)).noneMatch(n -> n.startsWith("validation") || n.startsWith(".validation"));
    }

    private int run(Object... args) {
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(Stream.of(args).map(String::valueOf).toArray(String[]::new));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
