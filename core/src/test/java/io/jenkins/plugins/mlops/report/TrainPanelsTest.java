package io.jenkins.plugins.mlops.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.process.MemoryLimitMechanism;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.AttemptOutcome;
import io.jenkins.plugins.mlops.train.DataSample;
import io.jenkins.plugins.mlops.train.FailureKind;
import io.jenkins.plugins.mlops.train.GpuUsage;
import io.jenkins.plugins.mlops.train.PerturbationOutcome;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import io.jenkins.plugins.mlops.train.TrainAttempt;
import io.jenkins.plugins.mlops.train.TrainBackend;
import io.jenkins.plugins.mlops.train.TrainResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainPanelsTest {
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    @Test
    void smokePanelQuotesTheFailureEscapedAndShowsMemoryAgainstTheLimit() {
        SmokeTrainResult result = new SmokeTrainResult(SmokeTrainResult.SCHEMA, SmokeTrainResult.STEP, Status.FAIL, T0, 3.2,
                "The training script hit a shape mismatch.", List.of(Check.of("training_script", null, Status.FAIL,
                        "SHAPE_MISMATCH", "completes", "shape")), FailureKind.SHAPE_MISMATCH,
                "the training script hit a shape mismatch: ValueError: <bad> & worse", 1, null, 2.9, 300, 256L << 20,
                1L << 30, MemoryLimitMechanism.RSS_WATCHDOG, List.of("  File \"train.py\", line 3", "ValueError: <bad> & worse"),
                40, List.of("python", "train.py"), 2, new DataSample("data.csv", 1000, 100, "label", Map.of("a", 60L, "b", 40L), 42),
                List.of());

        String html = TrainPanels.smoke(result);

        assertThat(html).doesNotContain("Perturbed samples");
        assertThat(html).contains("Failure: SHAPE_MISMATCH", "ValueError: &lt;bad&gt; &amp; worse",
                "256.0 MiB of 1.0 GiB (RSS_WATCHDOG)", "stratified by label: a=60, b=40", "class=\"train-memory-used\" x=\"1\" y=\"2\" width=\"150.0\"");
        assertCspSafe(html);
    }

    @Test
    void smokePanelListsEachPerturbationWithWhatChangedAndHowItEnded() {
        List<PerturbationOutcome> perturbations = List.of(
                new PerturbationOutcome("nan", "NaN in every feature column", Status.FAIL, "an empty value in 1 of every 10 rows",
                        FailureKind.CRASH, "the training script crashed: ValueError: <Input X> contains NaN", 1, 2.5,
                        List.of("Traceback (most recent call last):", "ValueError: <Input X> contains NaN")),
                new PerturbationOutcome("unseen-category", "a category the data never had", null,
                        "the sample has no text column to hold a new category", null,
                        "not run: the sample has no text column to hold a new category", null, 0, List.of()));
        SmokeTrainResult result = new SmokeTrainResult(SmokeTrainResult.SCHEMA, SmokeTrainResult.STEP, Status.FAIL, T0, 9,
                "Smoke training passed.", List.of(), null, null, 0, null, 2.9, 300, 256L << 20, 1L << 30,
                MemoryLimitMechanism.RSS_WATCHDOG, List.of("saved"), 1, List.of("python", "train.py"), 2,
                new DataSample("data.csv", 1000, 100, null, Map.of(), 42), perturbations);

        String html = TrainPanels.smoke(result);

        assertThat(html).contains("Perturbed samples", "<code>nan</code>", "status-fail", ">CRASH</span>",
                "ValueError: &lt;Input X&gt; contains NaN", ">NOT RUN</span>", "no text column to hold a new category")
                .doesNotContain("<Input X>");
        assertCspSafe(html);
    }

    @Test
    void trainPanelDrawsEveryAttemptOnATimeline() {
        List<TrainAttempt> attempts = List.of(
                new TrainAttempt("job-a1", "spot-1", "NVIDIA-L4", T0, T0.plusSeconds(30), T0.plusSeconds(330),
                        AttemptOutcome.PREEMPTED, 137, "PreemptionByScheduler", "preempted", 30, 300),
                new TrainAttempt("job-a2", "spot-2", "NVIDIA-L4", T0.plusSeconds(340), T0.plusSeconds(400),
                        T0.plusSeconds(1000), AttemptOutcome.SUCCEEDED, 0, "Completed", "exited 0", 60, 600));
        TrainResult result = new TrainResult(TrainResult.SCHEMA, TrainResult.STEP, Status.WARN, T0, 1000,
                "Training succeeded.", List.of(), TrainBackend.KUBERNETES, "job", "ml", "img:1", 1, "NVIDIA-L4",
                List.of("python", "train.py"), AttemptOutcome.SUCCEEDED, null, null, 0, 3600, attempts, 1,
                List.of("epoch 20/20"), List.of(new GpuUsage("0", "NVIDIA L4", 12, 81, 99, 20000, 23034)), null);

        String html = TrainPanels.train(result);

        assertThat(html).contains("<code>ml/job</code>", "PreemptionByScheduler", "train-outcome-preempted",
                "train-running train-outcome-succeeded", "81%", "20000 / 23034 MiB", "16m40s");
        assertThat(html.split("<rect ", -1)).hasSize(5);
        assertCspSafe(html);
    }

    private static void assertCspSafe(String html) {
        assertThat(html).doesNotContain("<script", "style=", "<style", "javascript:");
    }
}
