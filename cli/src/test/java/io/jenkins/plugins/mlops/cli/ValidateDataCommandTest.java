package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands end to end: exit codes, report files, --json, and nothing written on bad input. */
class ValidateDataCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    /** Customers with a sequential id, a normal age (shifted by {@code ageShift} years) and a plan. */
    private Path customers(String name, int rows, long seed, int firstId, double ageShift) throws IOException {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("customer_id,age,plan\n");
        String[] plans = {"basic", "basic", "plus", "pro"};
        for (int i = 0; i < rows; i++) {
            csv.append(firstId + i).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", 40 + ageShift + 10 * random.nextGaussian())).append(',')
                    .append(plans[random.nextInt(plans.length)]).append('\n');
        }
        return Files.writeString(dir.resolve(name), csv);
    }

    @Test
    void sameDistributionPassesAndWritesTheThreeReports() throws IOException {
        Path reference = customers("reference.csv", 5_000, 1, 0, 0);
        Path current = customers("current.csv", 5_000, 2, 5_000, 0);
        Path report = dir.resolve("report");

        int code = run("validate-data", "--data", current.toString(), "--reference", reference.toString(), "--report", report.toString());

        assertThat(code).as(out + "\n" + err).isEqualTo(ExitCodes.PASSED);
        assertThat(report.resolve("validation.json")).exists();
        assertThat(report.resolve("validation-junit.xml")).exists();
        assertThat(report.resolve("validation.html")).exists();
        JsonNode json = Json.mapper().readTree(report.resolve("validation.json").toFile());
        assertThat(json.get("schema").asText()).isEqualTo("mlops.validation/v1");
        assertThat(json.get("status").asText()).isEqualTo("PASS");
        assertThat(json.get("data_fingerprint").asText()).matches("sha256:[0-9a-f]{64}");
        assertThat(json.get("checks")).allSatisfy(check -> assertThat(check.has("column")).isTrue());
        String junit = Files.readString(report.resolve("validation-junit.xml"));
        assertThat(junit).contains("tests=\"" + json.get("checks").size() + "\"").contains("failures=\"0\"");
        String html = Files.readString(report.resolve("validation.html"));
        assertThat(html).contains("Drift").contains("<svg").doesNotContain("<script").doesNotContain("style=");
        assertThat(out.toString()).contains("validateData PASS");
        assertThat(err.toString()).contains("scanning").contains("rows");
    }

    @Test
    void driftFailsWithExitCode1() throws IOException {
        Path reference = customers("reference.csv", 5_000, 1, 0, 0);
        Path shifted = customers("shifted.csv", 5_000, 3, 5_000, 6);

        int code = run("validate-data", "--data", shifted.toString(), "--reference", reference.toString());

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).contains("FAIL").contains("drift").contains("age");
    }

    @Test
    void failOnWarnTurnsAWarningIntoExitCode1() throws IOException {
        Path reference = customers("reference.csv", 5_000, 1, 0, 0);
        Path nudged = customers("nudged.csv", 5_000, 4, 5_000, 1.5);

        int byDefault = run("validate-data", "--data", nudged.toString(), "--reference", reference.toString(), "--json");
        JsonNode result = Json.mapper().readTree(out.toString());
        int strict = run("validate-data", "--data", nudged.toString(), "--reference", reference.toString(), "--fail-on", "warn", "-q");

        assertThat(result.get("status").asText()).isEqualTo("WARN");
        assertThat(byDefault).isEqualTo(ExitCodes.PASSED);
        assertThat(strict).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void malformedDataExits2NamingFileAndLineAndWritesNothing() throws IOException {
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "a,b\n1,2\n3,4,5\n");
        Path report = dir.resolve("report");

        int code = run("validate-data", "--data", ragged.toString(), "--report", report.toString());

        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("ragged.csv line 3");
        assertThat(report).doesNotExist();
    }

    @Test
    void profileOfMalformedDataExits2AndWritesNoProfile() throws IOException {
        Path quote = Files.writeString(dir.resolve("quote.csv"), "a,b\n1,\"2\n3,4\n");
        Path profile = dir.resolve("profile.json");

        assertThat(run("profile", "--data", quote.toString(), "--out", profile.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("quote.csv line 2").contains("unterminated quote");
        assertThat(profile).doesNotExist();
        assertThat(run("infer-schema", "--data", quote.toString(), "--out", dir.resolve("s.yaml").toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(dir.resolve("s.yaml")).doesNotExist();
    }

    @Test
    void missingFileAndBadSchemaExit2() throws IOException {
        Path data = customers("data.csv", 100, 1, 0, 0);
        Path schema = Files.writeString(dir.resolve("schema.yaml"), "columns:\n  age: {type: integer, mni: 3}\n");

        assertThat(run("validate-data", "--data", dir.resolve("nope.csv").toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("nope.csv");
        assertThat(run("validate-data", "--data", data.toString(), "--schema", schema.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("schema.yaml line").contains("columns.age.mni");
        assertThat(run("validate-data", "--data", data.toString(), "--fail-on", "sometimes")).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void profileThenValidateAgainstTheSavedProfile() throws IOException {
        Path reference = customers("reference.csv", 3_000, 1, 0, 0);
        Path shifted = customers("shifted.csv", 3_000, 3, 3_000, 6);
        Path profile = dir.resolve("profiles/reference.json");

        assertThat(run("profile", "--data", reference.toString(), "--out", profile.toString())).isEqualTo(ExitCodes.PASSED);
        int code = run("validate-data", "--data", shifted.toString(), "--reference-profile", profile.toString(), "--json");

        assertThat(Json.mapper().readTree(profile.toFile()).get("schema").asText()).isEqualTo("mlops.profile/v1");
        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).contains("\"reference\" : \"" + profile + "\"");
    }

    @Test
    void inferredSchemaToleratesWhatSamplingExplainsAndCatchesANewCategoryBeyondIt() throws IOException {
        Path reference = customers("reference.csv", 2_000, 1, 0, 0);
        Path schema = dir.resolve("schema.yaml");
        String data = Files.readString(reference);
        Path oneNewPlan = Files.writeString(dir.resolve("one-new-plan.csv"), data.replaceFirst("\n(\\d+),([\\d.]+),basic\n", "\n$1,$2,platinum\n"));
        // Every fourth 'basic' row (about 1 in 8 rows) becomes 'platinum': far beyond sampling.
        java.util.concurrent.atomic.AtomicInteger basic = new java.util.concurrent.atomic.AtomicInteger();
        Path manyNewPlans = Files.writeString(dir.resolve("new-plans.csv"), data.lines()
                .map(line -> line.endsWith(",basic") && basic.incrementAndGet() % 4 == 0 ? line.replace(",basic", ",platinum") : line)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n")));

        assertThat(run("infer-schema", "--data", reference.toString(), "--out", schema.toString())).isEqualTo(ExitCodes.PASSED);
        String yaml = Files.readString(schema);
        assertThat(yaml).startsWith("# Schema inferred").contains("customer_id:").contains("id: true").contains("- basic")
                .contains("inferred_from:").doesNotContain(".0\n");

        assertThat(run("validate-data", "--data", reference.toString(), "--schema", schema.toString(), "-q")).isEqualTo(ExitCodes.PASSED);
        // One row of 2,000 with a plan the reference never had is what a rare plan looks like in a sample.
        assertThat(run("validate-data", "--data", oneNewPlan.toString(), "--schema", schema.toString(), "--json")).isEqualTo(ExitCodes.PASSED);
        assertThat(out.toString()).contains("1 rows with new values: 'platinum'").contains("within what a reference of 2,000 values");
        assertThat(run("validate-data", "--data", manyNewPlans.toString(), "--schema", schema.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).contains("categories").contains("platinum");

        // Without inferred_from the schema is hand-written: its categories are hard.
        Path hard = Files.writeString(dir.resolve("hard.yaml"), yaml.replaceAll("(?m),? ?inferred_from: \\{[^}]*\\}", "")
                .replaceAll("(?m)^\\s+inferred_from:\\n(\\s+\\w+: \\d+\\n)+", ""));
        assertThat(Files.readString(hard)).doesNotContain("  inferred_from");
        assertThat(run("validate-data", "--data", oneNewPlan.toString(), "--schema", hard.toString())).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void helpListsTheIssuesOptions() {
        assertThat(run("validate-data", "--help")).isZero();
        assertThat(out.toString()).contains("--data", "--reference", "--reference-profile", "--schema", "--report", "--fail-on", "--json");
    }
}
