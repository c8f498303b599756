package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.process.Executables;
import io.jenkins.plugins.mlops.process.LocalProcessLauncher;
import io.jenkins.plugins.mlops.process.MemoryLimitMechanism;
import io.jenkins.plugins.mlops.process.ProcessOutcome;
import io.jenkins.plugins.mlops.process.ProcessSpec;
import io.jenkins.plugins.mlops.process.ProcessStarter;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The {@code smokeTrain} step: trains on a small sample for a couple of epochs under a time and a
 * memory limit, so that a crash, a shape mismatch or a missing package shows in seconds on a CPU
 * agent instead of hours into a GPU run.
 */
public final class SmokeTraining {
    /** A timed-out script gets this long after SIGTERM to exit before SIGKILL. */
    static final Duration KILL_GRACE = Duration.ofSeconds(5);
    private static final int PASSING_EXCERPT = 10;

    private final ProcessStarter launcher;
    private final Duration killGrace;

    public SmokeTraining() {
        this(new LocalProcessLauncher());
    }

    /** @param launcher where the training command runs: this machine, or a Jenkins step's (decorated) launcher */
    public SmokeTraining(ProcessStarter launcher) {
        this(launcher, KILL_GRACE);
    }

    SmokeTraining(ProcessStarter launcher, Duration killGrace) {
        this.launcher = launcher;
        this.killGrace = killGrace;
    }

    /**
     * @param console receives progress and the script's output, line by line
     * @throws BadInputException when the data cannot be sampled or the command cannot be started
     */
    public SmokeTrainResult run(SmokeTrainConfig config, Consumer<String> console) {
        return run(config, Map.of(), console);
    }

    /**
     * As {@link #run(SmokeTrainConfig, Consumer)}, in the caller's environment: a Jenkins build's
     * (withEnv, withCredentials, tool PATHs), which the agent's own process environment lacks.
     *
     * @param baseEnvironment variables over this process's own, under the smoke run's {@code MLOPS_*} ones;
     *     its PATH finds the program
     */
    public SmokeTrainResult run(SmokeTrainConfig config, Map<String, String> baseEnvironment, Consumer<String> console) {
        Instant started = Instant.now();
        Path workDir = config.workingDirectory() == null ? Path.of("").toAbsolutePath() : Path.of(config.workingDirectory());
        if (config.outDir() != null && Files.exists(workDir.resolve(config.outDir()))
                && !Files.isDirectory(workDir.resolve(config.outDir()))) {
            throw new BadInputException("--out " + config.outDir() + " is a file; it must be a directory (or not exist yet)");
        }
        if (launcher.local() && !config.command().get(0).contains("{")) {
            // A typo in the program is bad input before any sample or output directory is written.
            Executables.resolve(config.command().get(0), workDir, baseEnvironment);
        }
        // A command started elsewhere (another container of the pod) shares the workspace, not this machine's /tmp.
        Path scratch = createScratch(launcher.local() ? null : workDir);
        try {
            Path data = workDir.resolve(config.data());
            console.accept("mlops: sampling " + config.rows() + " rows of " + config.data()
                    + (config.labelColumn() == null ? "" : ", stratified by " + config.labelColumn())
                    + " (seed " + config.seed() + ")");
            DataSample sample = DataSampler.sample(data, config.rows(), config.labelColumn(), config.seed(), scratch);
            Path samplePath = DataSampler.samplePath(data, scratch);
            Path outDir = config.outDir() == null ? scratch.resolve("out") : workDir.resolve(config.outDir());
            Files.createDirectories(outDir);

            Map<String, String> values = new LinkedHashMap<>();
            values.put("data", samplePath.toString());
            values.put("epochs", String.valueOf(config.epochs()));
            values.put("out", outDir.toString());
            List<String> command = Placeholders.apply(config.command(), values);
            Map<String, String> environment = new LinkedHashMap<>(baseEnvironment);
            environment.put("MLOPS_SMOKE", "1");
            environment.put("MLOPS_SMOKE_ROWS", String.valueOf(sample.rows()));
            environment.put("MLOPS_EPOCHS", String.valueOf(config.epochs()));
            console.accept("mlops: running " + String.join(" ", Redaction.redactCommand(command)) + " on "
                    + sample.rows() + " rows, " + config.epochs() + " epochs (limits: "
                    + Durations.format(config.timeout()) + ", " + ByteSize.format(config.memoryLimitBytes()) + ")");

            ProcessOutcome outcome = launcher.run(new ProcessSpec(command, environment, workDir, config.timeout(),
                    config.memoryLimitBytes(), killGrace), console);
            List<String> expected = Placeholders.apply(config.expectOutputs(), values);
            List<String> missing = missingOutputs(config, expected, workDir, started);
            Optional<Failure> failure = FailureClassifier.classify(RunEnding.of(outcome, config.memoryLimitBytes()),
                    missing.stream().filter(Objects::nonNull).toList());
            List<PerturbationOutcome> perturbed = new ArrayList<>();
            for (Perturbation perturbation : config.perturbations()) {
                // A script that fails on the plain sample would fail on every copy: nothing more to learn.
                perturbed.add(failure.isPresent()
                        ? PerturbationOutcome.notRun(perturbation, "nothing: not run",
                                "not run: the training script failed on the plain sample")
                        : perturbed(perturbation, config, samplePath, scratch, environment, workDir, console));
            }
            return result(config, started, sample, command, outcome, expected, missing, failure, perturbed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * The training command once more, on a perturbed copy of the sample with a fresh {@code {out}},
     * under the same limits, its ending named by the same classifier as the plain run's.
     */
    private PerturbationOutcome perturbed(Perturbation perturbation, SmokeTrainConfig config, Path sample, Path scratch,
            Map<String, String> environment, Path workDir, Consumer<String> console) throws IOException {
        Path dir = scratch.resolve("perturbed-" + perturbation.kind().option());
        SamplePerturber.Copy copy = SamplePerturber.write(sample, perturbation, config.labelColumn(), dir);
        if (copy.file() == null) {
            console.accept("mlops: perturbation " + perturbation.name() + " not run: " + copy.change());
            return PerturbationOutcome.notRun(perturbation, copy.change(), "not run: " + copy.change());
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("data", copy.file().toString());
        values.put("epochs", String.valueOf(config.epochs()));
        values.put("out", out.toString());
        console.accept("mlops: perturbation " + perturbation.name() + ": " + copy.change()
                + "; running the training command on that copy");
        Instant started = Instant.now();
        ProcessOutcome outcome = launcher.run(new ProcessSpec(Placeholders.apply(config.command(), values), environment,
                workDir, config.timeout(), config.memoryLimitBytes(), killGrace), console);
        List<String> missing = missingOutputs(config, Placeholders.apply(config.expectOutputs(), values), workDir, started);
        Optional<Failure> failure = FailureClassifier.classify(RunEnding.of(outcome, config.memoryLimitBytes()),
                missing.stream().filter(Objects::nonNull).toList());
        String message = failure.map(Failure::message).orElse("the training script ran to completion on the copy");
        console.accept("mlops: perturbation " + perturbation.name() + ": " + (failure.isPresent()
                ? failure.get().kind() + ", " + message : "passed"));
        return new PerturbationOutcome(perturbation.name(), perturbation.kind().title(),
                failure.isPresent() ? Status.FAIL : Status.PASS, copy.change(), failure.map(Failure::kind).orElse(null),
                message, outcome.exitCode(), outcome.durationS(), failure.map(Failure::evidence).orElse(List.of()));
    }

    private SmokeTrainResult result(SmokeTrainConfig config, Instant started, DataSample sample, List<String> command,
            ProcessOutcome outcome, List<String> expected, List<String> missing, Optional<Failure> failure,
            List<PerturbationOutcome> perturbed) {
        FailureKind kind = failure.map(Failure::kind).orElse(null);
        List<Check> checks = new ArrayList<>();
        checks.add(Check.of("training_script", null, failure.isPresent() ? Status.FAIL : Status.PASS,
                kind == null ? "completed" : kind, "completes, exit 0",
                failure.map(Failure::message).orElse("the script ran to completion on the sample")));
        checks.add(Check.of("time_limit", null, kind == FailureKind.TIMEOUT ? Status.FAIL : Status.PASS,
                String.format(Locale.ROOT, "%.1f s", outcome.durationS()),
                "<= " + Durations.format(config.timeout()),
                kind == FailureKind.TIMEOUT ? "stopped at the time limit" : "finished within the time limit"));
        Status memoryStatus = kind == FailureKind.OUT_OF_MEMORY ? Status.FAIL
                : outcome.memoryLimitMechanism() == MemoryLimitMechanism.NONE ? Status.WARN : Status.PASS;
        checks.add(Check.of("memory_limit", null, memoryStatus, ByteSize.format(outcome.peakMemoryBytes()) + " peak",
                "<= " + ByteSize.format(config.memoryLimitBytes()) + " (" + outcome.memoryLimitMechanism() + ")",
                memoryStatus == Status.WARN ? "no memory limit could be set: there is no /proc to measure the process tree"
                        : memoryStatus == Status.FAIL ? "ran out of memory" : "stayed within the memory limit"));
        checks.add(Check.of("finite_loss", null, kind == FailureKind.NAN_LOSS ? Status.FAIL : Status.PASS,
                kind == FailureKind.NAN_LOSS ? "NaN" : "no NaN seen", "finite",
                kind == FailureKind.NAN_LOSS ? failure.get().message() : "the log shows no NaN or infinite loss"));
        for (int i = 0; i < expected.size(); i++) {
            String problem = missing.get(i);
            // Named as the user wrote it: a temporary {out} is gone by the time anyone reads the report.
            checks.add(Check.of("output_written", config.expectOutputs().get(i), problem == null ? Status.PASS : Status.FAIL,
                    problem == null ? "written" : "missing", "written during the run, not empty",
                    problem == null ? "the script wrote " + shown(config, i, expected) : "the script did not write " + problem));
        }
        for (PerturbationOutcome perturbation : perturbed) {
            if (perturbation.status() != null) {
                checks.add(Check.of("handles_" + perturbation.name().replaceFirst("=.*", "").replace('-', '_'), null,
                        perturbation.status(), perturbation.failure() == null ? "completed" : perturbation.failure(),
                        "completes on a copy with " + perturbation.title(), perturbation.change() + ": "
                                + perturbation.message()));
            }
        }
        Status status = Status.worstOf(checks);
        double durationS = Duration.between(started, Instant.now()).toNanos() / 1e9;
        String summary = failure.map(f -> Sentences.capitalise(f.message()))
                .orElse(String.format(Locale.ROOT, "Smoke training passed on %d rows × %d epochs in %.1f s (peak memory %s of %s).",
                        sample.rows(), config.epochs(), outcome.durationS(), ByteSize.format(outcome.peakMemoryBytes()),
                        ByteSize.format(config.memoryLimitBytes()))) + perturbedSummary(perturbed);
        // A copy, not a subList view: results are serialized (agent to controller, the build's saved state).
        List<String> excerpt = failure.map(Failure::evidence).orElseGet(() -> List.copyOf(outcome.logTail().subList(
                Math.max(0, outcome.logTail().size() - PASSING_EXCERPT), outcome.logTail().size())));
        return new SmokeTrainResult(SmokeTrainResult.SCHEMA, SmokeTrainResult.STEP, status, started, durationS, summary,
                checks, kind, failure.map(Failure::message).orElse(null), outcome.exitCode(), outcome.signal(),
                outcome.durationS(), config.timeout().toMillis() / 1000.0, outcome.peakMemoryBytes(),
                config.memoryLimitBytes(), outcome.memoryLimitMechanism(), excerpt, outcome.logLines(),
                Redaction.redactCommand(command), config.epochs(), sample, perturbed);
    }

    /** A sentence on the perturbed copies after the plain run's, or nothing when none ran. */
    private static String perturbedSummary(List<PerturbationOutcome> perturbed) {
        List<PerturbationOutcome> ran = perturbed.stream().filter(p -> p.status() != null).toList();
        if (ran.isEmpty()) {
            return "";
        }
        List<PerturbationOutcome> failed = ran.stream().filter(p -> p.status() == Status.FAIL).toList();
        if (failed.isEmpty()) {
            return " It also passed on the perturbed copies: " + String.join(", ", ran.stream().map(PerturbationOutcome::name)
                    .toList()) + ".";
        }
        return " It failed on perturbed copies: " + String.join("; ", failed.stream()
                .map(p -> p.name() + " (" + p.title() + "): " + p.failure() + ", " + p.message()).toList()) + ".";
    }

    /**
     * Per expected output, what is wrong with it (missing, empty, or older than the run: a model
     * file left from an earlier build must not make a broken script pass), or {@code null} when
     * it was written. The names are those a person can look up after the run.
     */
    private static List<String> missingOutputs(SmokeTrainConfig config, List<String> expected, Path workDir,
            Instant started) throws IOException {
        List<String> problems = new ArrayList<>();
        // File systems with coarse timestamps may round a fresh file's time down by up to 2 s.
        FileTime notBefore = FileTime.from(started.minusSeconds(2));
        for (int i = 0; i < expected.size(); i++) {
            Path path = workDir.resolve(expected.get(i));
            String name = shown(config, i, expected);
            String problem = !Files.exists(path) ? name
                    : Files.getLastModifiedTime(path).compareTo(notBefore) < 0 ? name + " (only a file older than the run is there)"
                    : Files.isDirectory(path) ? (hasEntries(path) ? null : name + " (an empty directory)")
                    : Files.size(path) == 0 ? name + " (0 bytes)" : null;
            problems.add(problem);
        }
        return problems;
    }

    /** An output as the user wrote it while {out} is a temporary directory that is deleted, else as resolved. */
    private static String shown(SmokeTrainConfig config, int index, List<String> expected) {
        return config.outDir() == null ? config.expectOutputs().get(index) : expected.get(index);
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }

    /** @param parent where the scratch directory goes, null for the temporary directory */
    private static Path createScratch(Path parent) {
        try {
            return parent == null ? Files.createTempDirectory("mlops-smoke-") : Files.createTempDirectory(parent, ".mlops-smoke-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the sample", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // A file the script keeps open (or made read-only) stays in the temp directory.
                }
            });
        } catch (IOException e) {
            // Nothing left to clean.
        }
    }
}
