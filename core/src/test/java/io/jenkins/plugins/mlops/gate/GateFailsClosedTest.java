package io.jenkins.plugins.mlops.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Garbage never passes the gate, whichever metrics it computes: each broken candidate file is
 * tried under every metric plan (the defaults, a class metric, a ranking metric, a loss) and
 * must fail closed with an ERROR that says why, before any bootstrap resample runs.
 */
class GateFailsClosedTest {
    @TempDir
    Path dir;

    /** A binary hold-out: id, y, pred (class), proba (score), y_cont (a continuous target). */
    private static List<String> rows(UnaryOperator<String[]> damage) {
        Random random = new Random(7);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int y = random.nextDouble() < 0.4 ? 1 : 0;
            double p = Math.max(0, Math.min(1, 0.4 + 0.5 * (y - 0.4) + random.nextGaussian() * 0.2));
            String[] row = {String.valueOf(i), String.valueOf(y), p >= 0.5 ? "1" : "0",
                String.format(Locale.ROOT, "%.4f", p), String.format(Locale.ROOT, "%.3f", random.nextGaussian() * 3)};
            rows.add(String.join(",", i == 3 ? damage.apply(row) : row));
        }
        return rows;
    }

    static Stream<Arguments> garbageUnderEveryPlan() {
        List<Arguments> cases = new ArrayList<>();
        record Garbage(String name, UnaryOperator<String[]> damage, String label, String message) {}
        List<Garbage> garbage = List.of(
                new Garbage("score 1.5", r -> set(r, 3, "1.5"), "y", "values outside [0, 1] (first at id '3': 1.5)"),
                new Garbage("score -0.2", r -> set(r, 3, "-0.2"), "y", "values outside [0, 1] (first at id '3': -0.2)"),
                new Garbage("prediction N/A", r -> set(r, 2, "N/A"), "y", "holds 'N/A'"),
                new Garbage("continuous labels as classes", r -> r, "y_cont", "fractional values"));
        List<List<Metric>> plans = List.of(List.of(), List.of(Metric.ACCURACY), List.of(Metric.ROC_AUC),
                List.of(Metric.F1, Metric.BRIER));
        for (Garbage g : garbage) {
            for (List<Metric> plan : plans) {
                cases.add(Arguments.of(g.name(), g.damage(), g.label(), plan, g.message()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with metrics {3}")
    @MethodSource("garbageUnderEveryPlan")
    void failsClosed(String name, UnaryOperator<String[]> damage, String label, List<Metric> plan, String message) {
        String header = "id,y,pred,proba,y_cont";
        Path baseline = PredictionFiles.csv(dir.resolve("baseline.csv"), header, rows(r -> r));
        Path candidate = PredictionFiles.csv(dir.resolve("candidate.csv"), header, rows(damage));
        List<String> progress = new CopyOnWriteArrayList<>();

        GateResult result = ModelGate.run(GateConfig.builder(new BaselinePredictions(baseline.toString()),
                candidate.toString(), label, "pred").score("proba").id("id").task(Task.CLASSIFICATION).metrics(plan)
                .resamples(1000).build(), progress::add);

        assertThat(result.decision()).isEqualTo(Decision.FAIL);
        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.checks()).filteredOn(c -> c.status() == Status.ERROR).extracting(Check::message)
                .anyMatch(m -> m.contains(message));
        assertThat(progress).noneMatch(line -> line.contains("bootstrap"));
    }

    @Test
    void aMetricThatCannotBeComputedFailsBeforeTheBootstrap() {
        // One class only in the labels: roc_auc is undefined on the whole set, so no resample can define it.
        List<String> oneClass = rows(r -> r).stream().map(line -> {
            String[] f = line.split(",");
            f[1] = "0";
            return String.join(",", f);
        }).toList();
        Path baseline = PredictionFiles.csv(dir.resolve("baseline.csv"), "id,y,pred,proba,y_cont", oneClass);
        Path candidate = PredictionFiles.csv(dir.resolve("candidate.csv"), "id,y,pred,proba,y_cont", oneClass);
        List<String> progress = new CopyOnWriteArrayList<>();

        GateResult result = ModelGate.run(GateConfig.builder(new BaselinePredictions(baseline.toString()),
                candidate.toString(), "y", null).score("proba").id("id").metrics(List.of(Metric.ROC_AUC)).build(),
                progress::add);

        assertThat(result.decision()).isEqualTo(Decision.FAIL);
        assertThat(result.summary()).contains("roc_auc cannot be computed", "only one class");
        assertThat(progress).noneMatch(line -> line.contains("bootstrap 100/"))
                .anyMatch(line -> line.contains("without the bootstrap"));
    }

    @Test
    void bootstrapProgressCountsUpInOrder() {
        Path[] files = PredictionFiles.binary(dir, 3000, 0.6, 0.7, 5);
        List<String> progress = new CopyOnWriteArrayList<>();

        ModelGate.run(GateConfig.builder(new BaselinePredictions(files[0].toString()), files[1].toString(), "y", "pred")
                .score("proba").id("id").resamples(2000).build(), progress::add);

        List<Integer> counts = progress.stream().filter(l -> l.startsWith("gate: bootstrap "))
                .map(l -> Integer.parseInt(l.replaceAll("gate: bootstrap (\\d+)/.*", "$1"))).toList();
        assertThat(counts).hasSize(10).isSorted().endsWith(2000);
    }

    private static String[] set(String[] row, int column, String value) {
        String[] copy = row.clone();
        copy[column] = value;
        return copy;
    }
}
