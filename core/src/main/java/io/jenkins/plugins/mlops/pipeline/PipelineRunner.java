package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.gate.MetricComparison;
import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.report.HtmlReport;
import io.jenkins.plugins.mlops.report.PipelineReport;
import io.jenkins.plugins.mlops.report.ReportWriter;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs the stages of {@code mlops.yaml} in order (ci, validate, smoke-train, train, gate, register)
 * and stops at the first that fails: a failed gate never reaches registration. Every step's
 * JSON, HTML and JUnit XML go to {@code .mlops/runs/<id>/}, with {@code pipeline.json} and the
 * {@code report.html} that composes them. When every stage passed and a model was registered,
 * the champion alias moves to it.
 */
public final class PipelineRunner {
    /** The index page of a run. */
    public static final String REPORT = "report.html";

    private final Path project;
    private final Consumer<String> console;
    private final RegistryCredentials credentials;

    /**
     * @param project the directory of {@code mlops.yaml}: paths resolve and commands run there
     * @param console progress lines for a person watching
     */
    public PipelineRunner(Path project, Consumer<String> console, RegistryCredentials credentials) {
        this.project = project.toAbsolutePath().normalize();
        this.console = console;
        this.credentials = credentials;
    }

    public PipelineResult run(PipelineConfig config) {
        Instant started = Instant.now();
        long start = System.nanoTime();
        Path runDir = RunDirectory.create(project, started);
        RunState state = new RunState(config, project, runDir, line -> console.accept("      " + line), credentials);
        List<Stage> stages = stages(config);
        console.accept("mlops run: " + config.name() + ", " + stages.size() + " stages, reports in "
                + project.relativize(runDir));
        List<StageOutcome> outcomes = new ArrayList<>();
        List<PipelineReport.Section> sections = new ArrayList<>();
        boolean stopped = false;
        try {
            for (int i = 0; i < stages.size(); i++) {
                Stage stage = stages.get(i);
                if (stopped) {
                    outcomes.add(new StageOutcome(stage.key(), null, null, "not run: an earlier stage failed", 0, null, null));
                    sections.add(PipelineReport.Section.notRun(stage.title()));
                    continue;
                }
                console.accept(String.format(Locale.ROOT, "[%d/%d] %s", i + 1, stages.size(), stage.key()));
                StageOutcome outcome = runStage(stage, state, runDir, sections);
                stopped = outcome.status() != null && outcome.status().isAtLeast(Status.FAIL);
                outcomes.add(outcome);
                console.accept(String.format(Locale.ROOT, "      %s  %s (%.1f s)",
                        outcome.status() == null ? "SKIPPED" : outcome.status(), outcome.summary(), outcome.durationS()));
            }
        } finally {
            state.deployment.close();
        }
        boolean passed = !stopped;
        boolean promoted = passed && state.registeredVersion != null;
        ChampionMetric champion = promoted ? promote(state) : keptChampion(state);
        RunComparison comparison = comparison(state, promoted);
        PipelineResult result = result(config, started, start, runDir, outcomes, passed, state, champion, comparison);
        writeReports(runDir, result, sections, champion);
        return result;
    }

    /** Runs one stage and writes its step's reports; an exception stops the run at this stage, recorded. */
    private static StageOutcome runStage(Stage stage, RunState state, Path runDir, List<PipelineReport.Section> sections) {
        long start = System.nanoTime();
        try {
            StageReport report = stage.run(state);
            if (!report.ran()) {
                sections.add(new PipelineReport.Section(stage.title(), null, report.summary(), null, List.of()));
                return new StageOutcome(stage.key(), null, null, report.summary(), seconds(start), null, null);
            }
            ReportWriter.write(runDir, report.reportName(), report.result(), stage.title(), report.panels());
            sections.add(new PipelineReport.Section(stage.title(), report.status(), report.summary(),
                    report.reportName() + ".html", report.panels()));
            // A stage that did not pass stops the run even when its status alone would not (fail-on warn).
            Status status = report.passed() ? report.status() : report.status().worse(Status.FAIL);
            return new StageOutcome(stage.key(), report.result().step(), status, report.summary(), seconds(start),
                    report.reportName() + ".json", null);
        } catch (BadInputException | InfrastructureException | StageFailedException e) {
            String kind = e instanceof BadInputException ? "bad_input"
                    : e instanceof InfrastructureException ? "infrastructure" : null;
            sections.add(new PipelineReport.Section(stage.title(), Status.ERROR, e.getMessage(), null, List.of()));
            return new StageOutcome(stage.key(), null, Status.ERROR, e.getMessage(), seconds(start), null, kind);
        }
    }

    private static List<Stage> stages(PipelineConfig config) {
        List<Stage> stages = new ArrayList<>();
        if (config.ci() != null) {
            stages.add(new CiRun(config.ci()));
        }
        if (config.ingest() != null) {
            stages.add(new IngestRun(config.ingest()));
        }
        if (config.validate() != null) {
            stages.add(new ValidateRun(config.validate()));
        }
        if (config.smokeTrain() != null) {
            stages.add(new SmokeTrainRun(config.smokeTrain()));
        }
        if (config.train() != null) {
            stages.add(new TrainRun(config.train()));
        }
        if (config.gate() != null) {
            stages.add(new GateRun(config.gate()));
        }
        if (config.register() != null) {
            stages.add(new RegisterRun(config.register()));
        }
        if (config.packaging() != null) {
            stages.add(new PackageRun(config.packaging()));
        }
        if (config.deploy() != null) {
            stages.add(new DeployRun(config.deploy()));
        }
        if (config.shadow() != null) {
            stages.add(new ShadowRun(config.shadow()));
        }
        if (config.canary() != null) {
            stages.add(new CanaryRun(config.canary()));
        }
        return stages;
    }

    /** Every stage passed: the registered version becomes the champion. */
    private ChampionMetric promote(RunState state) {
        String name = state.config.register().name(state.config.name());
        ModelRegistry registry = ModelRegistries.open(state.registry(), credentials, Duration.ofMinutes(2),
                state.console);
        registry.setAlias(name, state.config.champion(), state.registeredVersion);
        console.accept("      " + name + "@" + state.config.champion() + " -> version " + state.registeredVersion);
        return state.primary == null || state.primary.candidate() == null ? null
                : new ChampionMetric(state.primary.name(), state.primary.candidate(), state.registeredVersion, true);
    }

    private static ChampionMetric keptChampion(RunState state) {
        return state.championVersion == null || state.primary.baseline() == null ? null
                : new ChampionMetric(state.primary.name(), state.primary.baseline(), state.championVersion, false);
    }

    /** Both models on this run's rows; null when the gate did not measure the candidate. */
    private static RunComparison comparison(RunState state, boolean promoted) {
        MetricComparison primary = state.primary;
        if (primary == null || primary.candidate() == null) {
            return null;
        }
        boolean champion = state.championVersion != null;
        return new RunComparison(primary.name(), primary.greaterIsBetter(), state.holdOutRows,
                champion ? primary.baseline() : null, state.championVersion, primary.candidate(),
                champion ? primary.ciLow() : null, champion ? primary.ciHigh() : null, promoted,
                promoted ? state.registeredVersion : null);
    }

    private PipelineResult result(PipelineConfig config, Instant started, long start, Path runDir,
            List<StageOutcome> outcomes, boolean passed, RunState state, ChampionMetric champion,
            RunComparison comparison) {
        // Stages that did not run are not checks: nothing was verified.
        List<Check> checks = outcomes.stream().filter(outcome -> outcome.status() != null)
                .map(outcome -> new Check(outcome.stage(), null, outcome.status(), outcome.status().name(), "PASS",
                        outcome.summary())).toList();
        Status status = passed ? Status.worstOf(checks) : failure(outcomes);
        StringBuilder summary = new StringBuilder();
        if (!passed) {
            StageOutcome failed = outcomes.stream().filter(o -> o.status() != null && o.status().isAtLeast(Status.FAIL))
                    .findFirst().orElseThrow();
            summary.append("Stopped at ").append(failed.stage()).append(": ").append(failed.summary());
        } else {
            summary.append(state.driftDetected ? "Drift detected, retrained; " : "").append("every stage passed");
            if (champion != null && champion.promoted()) {
                summary.append("; ").append(config.name()).append(" version ").append(champion.version())
                        .append(" is now @").append(config.champion()).append(" (")
                        .append(champion.metric()).append(' ').append(String.format(Locale.ROOT, "%.4f", champion.value()))
                        .append(')');
            }
        }
        // A failed gate's own summary says how the candidate compares; a passing run says it here.
        String sentence = comparison == null || !passed ? null : comparison.sentence();
        if (sentence != null) {
            summary.append("; ").append(sentence);
        }
        return new PipelineResult(PipelineResult.SCHEMA, PipelineResult.STEP, status, started, seconds(start),
                summary.toString(), checks, runDir.getFileName().toString(), config.name(), config.registry(), outcomes,
                state.driftDetected, champion, comparison, state.registeredVersion);
    }

    private static Status failure(List<StageOutcome> outcomes) {
        return outcomes.stream().map(StageOutcome::status).filter(s -> s != null && s.isAtLeast(Status.FAIL))
                .findFirst().orElse(Status.FAIL);
    }

    private void writeReports(Path runDir, PipelineResult result, List<PipelineReport.Section> sections,
            ChampionMetric champion) {
        AtomicFiles.write(runDir.resolve(HtmlReport.STYLESHEET), HtmlReport.stylesheet());
        AtomicFiles.write(runDir.resolve("pipeline.json"), Json.write(result));
        String metric = champion != null ? champion.metric() : null;
        List<PipelineReport.HistoryPoint> history = RunHistory.read(project, metric);
        AtomicFiles.write(runDir.resolve(REPORT), PipelineReport.render(result, result.model(), sections, history,
                metric));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
