package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.process.LocalProcessLauncher;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smokeTrain --perturb}: the training command also runs on perturbed copies of the sample,
 * and each ending is named by the classifier of the plain run. Real scripts, real samples.
 */
class PerturbedSmokeTrainingTest {
    private static final Path CHURN = Path.of(System.getProperty("mlops.repo", "..")).resolve("examples/churn")
            .toAbsolutePath().normalize();
    private static final List<Perturbation> ALL = Perturbation.parse(List.of("nan,unseen-category,empty-column"));

    private final SmokeTraining smoke = new SmokeTraining(new LocalProcessLauncher(), Duration.ofMillis(500));

    @TempDir
    Path dir;

    @Test
    void aLoaderThatCrashesOnNanIsNamedAndTheOtherCopiesPass() throws Exception {
        List<String> console = new ArrayList<>();

        SmokeTrainResult result = smoke.run(coloursConfig(ALL), console::add);

        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(result.failure()).as("the plain sample passed").isNull();
        assertThat(result.perturbations()).extracting(PerturbationOutcome::name)
                .containsExactly("nan", "unseen-category", "empty-column");
        PerturbationOutcome nan = result.perturbations().get(0);
        assertThat(nan.status()).isEqualTo(Status.FAIL);
        assertThat(nan.failure()).isEqualTo(FailureKind.CRASH);
        assertThat(nan.message()).contains("ValueError: could not convert string to float: ''");
        assertThat(nan.change()).isEqualTo("an empty value (NaN) in 1 of every 10 rows of each of the 3 feature columns"
                + " (not label)");
        assertThat(nan.logExcerpt()).anyMatch(line -> line.contains("float(row[\"x1\"])"));
        assertThat(result.perturbations().get(1).status()).isEqualTo(Status.PASS);
        assertThat(result.perturbations().get(1).change()).contains("'mlops-unseen-category'", "(colour)");
        // x1 and x2 are distinct in every row (keys); the colour is the first column worth emptying.
        assertThat(result.perturbations().get(2).change()).isEqualTo("every value of colour empty");
        assertThat(result.perturbations().get(2).status()).isEqualTo(Status.PASS);
        assertThat(result.checks()).extracting(Check::name).endsWith("handles_nan", "handles_unseen_category",
                "handles_empty_column");
        assertThat(result.checks()).filteredOn(c -> c.name().equals("handles_nan")).singleElement()
                .extracting(Check::status).isEqualTo(Status.FAIL);
        assertThat(result.summary()).startsWith("Smoke training passed on 100 rows")
                .contains("It failed on perturbed copies: nan (NaN in every feature column): CRASH");
        assertThat(console).anyMatch(line -> line.startsWith("mlops: perturbation nan: CRASH"));
    }

    @Test
    void theChurnExamplesLoaderHandlesEveryPerturbation() throws Exception {
        Path python = TestEnvironment.python("sklearn", "mlflow", "pandas");
        SmokeTrainConfig config = new SmokeTrainConfig(CHURN.resolve("data/reference.csv").toString(), 200, 2,
                Duration.ofMinutes(3), 4L << 30, "churned", 42, null, List.of("{out}/model/MLmodel"), CHURN.toString(),
                List.of(python.toString(), "train.py", "--data", "{data}", "--epochs", "{epochs}", "--out", "{out}"), ALL);

        SmokeTrainResult result = smoke.run(config, line -> { });

        assertThat(result.perturbations()).as(result.summary()).allSatisfy(outcome -> {
            assertThat(outcome.status()).as(outcome.name() + ": " + outcome.message()).isEqualTo(Status.PASS);
        });
        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.perturbations().get(1).change()).contains("contract", "payment_method");
        // customer_id is a key; signup_date repeats in 200 rows, so it is the one emptied.
        assertThat(result.perturbations().get(2).change()).isEqualTo("every value of signup_date empty");
        assertThat(result.summary()).endsWith("It also passed on the perturbed copies: nan, unseen-category, empty-column.");
    }

    @Test
    void aNamedColumnIsEmptiedAndAScriptThatFailsOnThePlainSampleRunsNoCopy() throws Exception {
        SmokeTrainResult named = smoke.run(coloursConfig(Perturbation.parse(List.of("empty-column=x2"))), line -> { });

        assertThat(named.perturbations().get(0).change()).isEqualTo("every value of x2 empty");
        assertThat(named.perturbations().get(0).failure()).isEqualTo(FailureKind.CRASH);

        SmokeTrainConfig crashing = new SmokeTrainConfig(TestPython.trainingCsv(dir, 200).toString(), 100, 2,
                Duration.ofSeconds(60), 512L << 20, "label", 42, null, List.of(), null,
                List.of(TestPython.python(), TestPython.script("train_crash.py"), "{data}"), ALL);
        SmokeTrainResult result = smoke.run(crashing, line -> { });

        assertThat(result.failure()).isEqualTo(FailureKind.CRASH);
        assertThat(result.perturbations()).allSatisfy(outcome -> {
            assertThat(outcome.status()).isNull();
            assertThat(outcome.message()).isEqualTo("not run: the training script failed on the plain sample");
        });
        assertThat(result.checks()).extracting(Check::name).doesNotContain("handles_nan");
    }

    @Test
    void aSampleWithoutTextHasNoCategoryToAddAndSaysSo() throws Exception {
        Path data = TestPython.trainingCsv(dir, 200);
        SmokeTrainConfig config = new SmokeTrainConfig(data.toString(), 50, 1, Duration.ofSeconds(60), 512L << 20, null,
                42, null, List.of(), null, List.of(TestPython.python(), "-c", "print('ok')"),
                Perturbation.parse(List.of("unseen-category")));
        Files.writeString(data, Files.readString(data).replace(",a\n", ",1\n").replace(",b\n", ",2\n").replace(",c\n", ",3\n"));

        SmokeTrainResult result = smoke.run(config, line -> { });

        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.perturbations().get(0).message()).isEqualTo("not run: the sample has no text column to hold a new category");
    }

    @Test
    void perturbationNamesAreCheckedBeforeAnythingRuns() {
        assertThat(Perturbation.parse(List.of("nan, empty-column=age", "unseen-category"))).extracting(Perturbation::name)
                .containsExactly("nan", "empty-column=age", "unseen-category");
        assertThatThrownBy(() -> Perturbation.parse(List.of("nan,nulls"))).isInstanceOf(BadInputException.class)
                .hasMessage("--perturb: unknown perturbation 'nulls'; known: nan, unseen-category, empty-column");
        assertThatThrownBy(() -> Perturbation.parse(List.of("nan", "nan"))).hasMessageContaining("given twice");
        assertThatThrownBy(() -> Perturbation.parse(List.of("nan=x1"))).hasMessageContaining("takes no column");
    }

    @Test
    void emptyingTheLabelOrAColumnThatIsNotThereIsBadInput() {
        assertThatThrownBy(() -> smoke.run(coloursConfig(Perturbation.parse(List.of("empty-column=label"))), line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("that is the label column");
        assertThatThrownBy(() -> smoke.run(coloursConfig(Perturbation.parse(List.of("empty-column=agee"))), line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no such column", "x1, x2, colour");
    }

    /** 200 rows of x1, x2 (distinct in every row), colour and label; the trusting loader's command. */
    private SmokeTrainConfig coloursConfig(List<Perturbation> perturbations) throws Exception {
        StringBuilder csv = new StringBuilder("x1,x2,colour,label\n");
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 200; i++) {
            csv.append(i).append(',').append(i * 0.5).append(',').append(colours[i % 3]).append(',').append(i % 2).append('\n');
        }
        Path data = Files.writeString(dir.resolve("colours.csv"), csv);
        return new SmokeTrainConfig(data.toString(), 100, 2, Duration.ofSeconds(60), 512L << 20, "label", 42, null,
                List.of("{out}/model.txt"), null,
                List.of(TestPython.python(), TestPython.script("train_trusting_loader.py"), "{data}", "{out}"), perturbations);
    }
}
