package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The churn example end to end: its generator (plain python3, as the README runs it) is
 * deterministic and really drifts, the committed data is what the generator makes, and
 * {@code mlops validate-data} passes a same-distribution batch and fails the drifted one.
 */
class ChurnExampleTest {
    private static final Path REPO = Path.of(System.getProperty("mlops.repo", "..")).toAbsolutePath().normalize();
    private static final Path EXAMPLE = REPO.resolve("examples/churn");
    private static final List<String> COLUMNS = List.of("customer_id", "signup_date", "age", "gender", "region",
            "contract", "payment_method", "paperless_billing", "internet_service", "tenure_months", "monthly_charges",
            "total_charges", "support_calls", "last_login_days", "satisfaction_score", "churned");

    @TempDir
    static Path dir;

    static Path reference;
    static Path current;
    static Path drifted;

    @BeforeAll
    static void generate() throws Exception {
        reference = generate("reference.csv", "--rows", "5000", "--seed", "1");
        current = generate("current.csv", "--rows", "5000", "--seed", "2", "--id-start", "5001");
        drifted = generate("drifted.csv", "--rows", "5000", "--seed", "3", "--id-start", "5001", "--drift");
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws Exception {
        Path again = generate("again.csv", "--rows", "5000", "--seed", "1");

        assertThat(Files.mismatch(reference, again)).isEqualTo(-1L);
        assertThat(Files.mismatch(reference, current)).isNotEqualTo(-1L);
    }

    @Test
    void committedDataIsWhatTheReadmeCommandsMake() throws IOException {
        // A generator change without regenerated data would make the README's figures lie.
        assertThat(Files.mismatch(EXAMPLE.resolve("data/reference.csv"), reference)).isEqualTo(-1L);
        assertThat(Files.mismatch(EXAMPLE.resolve("data/current.csv"), current)).isEqualTo(-1L);
        assertThat(Files.mismatch(EXAMPLE.resolve("data/drifted.csv"), drifted)).isEqualTo(-1L);
    }

    @Test
    void everyColumnIsThereWithIdsThatContinueAcrossBatches() throws IOException {
        List<String> lines = Files.readAllLines(current, StandardCharsets.UTF_8);

        assertThat(List.of(lines.get(0).split(","))).isEqualTo(COLUMNS);
        assertThat(lines).hasSize(5001);
        assertThat(cell(lines.get(1), "customer_id")).isEqualTo("5001");
        assertThat(cell(lines.get(5000), "customer_id")).isEqualTo("10000");
    }

    @Test
    void driftRaisesChargesAddsAPaymentMethodAndMovesContracts() throws IOException {
        List<String> base = rows(reference);
        List<String> shifted = rows(drifted);

        assertThat(mean(shifted, "monthly_charges")).isGreaterThan(1.12 * mean(base, "monthly_charges"));
        assertThat(share(base, "payment_method", "digital wallet")).isZero();
        assertThat(share(shifted, "payment_method", "digital wallet")).isBetween(0.2, 0.3);
        assertThat(share(shifted, "contract", "month-to-month"))
                .isGreaterThan(share(base, "contract", "month-to-month") + 0.15);
    }

    @Test
    void driftChangesHowCustomersBehaveNotOnlyWhoTheyAre() throws IOException {
        // Concept drift: the same kind of customer churns differently, so a model trained before
        // the price rise is wrong after it, and retraining on the new batch is what fixes it.
        List<String> base = rows(reference);
        List<String> shifted = rows(drifted);

        assertThat(priceGap(shifted)).as("month-to-month churn, dear minus cheap, after the rise")
                .isGreaterThan(priceGap(base) + 0.25);
        List<String> others = shifted.stream().filter(row -> !cell(row, "payment_method").equals("digital wallet")).toList();
        List<String> wallet = shifted.stream().filter(row -> cell(row, "payment_method").equals("digital wallet")).toList();
        assertThat(mean(wallet, "churned")).isGreaterThan(mean(others, "churned") + 0.06);
        assertThat(mean(shifted, "churned")).isGreaterThan(mean(base, "churned") + 0.1);
    }

    @Test
    void sameDistributionBatchPassesValidation() {
        StringWriter err = new StringWriter();

        int code = validate(current, dir.resolve("report-current"), err);

        assertThat(code).as("stderr: %s", err).isEqualTo(ExitCodes.PASSED);
        assertThat(dir.resolve("report-current/validation.json")).isRegularFile();
    }

    @Test
    void driftedBatchFailsOnWhatChangedAndOnlyOnThat() throws IOException {
        StringWriter err = new StringWriter();

        int code = validate(drifted, dir.resolve("report-drifted"), err);

        assertThat(code).as("stderr: %s", err).isEqualTo(ExitCodes.FAILED);
        JsonNode result = Json.mapper().readTree(dir.resolve("report-drifted/validation.json").toFile());
        assertThat(result.path("status").asText()).isEqualTo("FAIL");
        List<String> failed = new ArrayList<>();
        List<String> notPassed = new ArrayList<>();
        result.path("checks").forEach(check -> {
            String status = check.path("status").asText();
            if (!status.equals("PASS")) {
                notPassed.add(check.path("column").asText());
            }
            if (status.equals("FAIL")) {
                failed.add(check.path("column").asText());
            }
        });
        assertThat(failed).contains("payment_method", "monthly_charges", "churned");
        // The contract mix moves less than the price; it must still be flagged, but nothing that did not change.
        assertThat(notPassed).contains("contract").doesNotContain("customer_id", "gender", "region", "age");
    }

    private static int validate(Path data, Path report, StringWriter err) {
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter()));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute("validate-data", "--data", data.toString(), "--reference", reference.toString(),
                "--schema", EXAMPLE.resolve("schema.yaml").toString(), "--report", report.toString(), "--quiet");
    }

    private static Path generate(String name, String... options) throws Exception {
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("python3", EXAMPLE.resolve("generate_data.py").toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("--out", out.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("generator finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return out;
    }

    private static List<String> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        return lines.subList(1, lines.size());
    }

    // The generator's values hold no commas or quotes, so a plain split reads them.
    private static String cell(String line, String column) {
        return line.split(",", -1)[COLUMNS.indexOf(column)];
    }

    private static double mean(List<String> rows, String column) {
        return rows.stream().mapToDouble(row -> Double.parseDouble(cell(row, column))).average().orElseThrow();
    }

    /** Churn rate of month-to-month customers paying 80 or more minus that of those paying under 50. */
    private static double priceGap(List<String> rows) {
        List<String> monthly = rows.stream().filter(row -> cell(row, "contract").equals("month-to-month")).toList();
        List<String> dear = monthly.stream().filter(row -> Double.parseDouble(cell(row, "monthly_charges")) >= 80).toList();
        List<String> cheap = monthly.stream().filter(row -> Double.parseDouble(cell(row, "monthly_charges")) < 50).toList();
        return mean(dear, "churned") - mean(cheap, "churned");
    }

    private static double share(List<String> rows, String column, String value) {
        return rows.stream().filter(row -> cell(row, column).equals(value)).count() / (double) rows.size();
    }
}
