package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.process.LocalProcessLauncher;
import io.jenkins.plugins.mlops.process.LocalProcessLauncherTest;
import io.jenkins.plugins.mlops.process.MemoryLimitMechanism;
import io.jenkins.plugins.mlops.process.ProcessOutcome;
import io.jenkins.plugins.mlops.process.ProcessSpec;
import io.jenkins.plugins.mlops.process.ProcessStarter;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure class, each produced by a real Python script on a real sample. */
class SmokeTrainingTest {
    private final SmokeTraining smoke = new SmokeTraining(new LocalProcessLauncher(), Duration.ofMillis(500));

    @TempDir
    Path dir;

    @Test
    void aWorkingScriptPassesOnTheSample() throws Exception {
        List<String> console = new CopyOnWriteArrayList<>();
        SmokeTrainResult result = smoke.run(config("train_ok.py", List.of("{out}/model.txt"), "{data}", "{epochs}", "{out}"),
                console::add);

        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.failure()).isNull();
        assertThat(result.exitCode()).isZero();
        assertThat(result.sample().rows()).isEqualTo(100);
        assertThat(result.sample().rowsPerLabel()).containsEntry("c", 10L);
        assertThat(console).contains("epoch 2/2 rows=100 loss=0.2500", "saved model");
        assertThat(result.logExcerpt()).endsWith("saved model");
        assertThat(result.checks()).extracting(Check::name)
                .containsExactly("training_script", "time_limit", "memory_limit", "finite_loss", "output_written");
        assertThat(result.peakMemoryBytes()).isPositive();
        assertThat(result.command()).noneMatch(arg -> arg.contains("{"));
        assertThat(result.summary()).contains("passed on 100 rows × 2 epochs");
    }

    @Test
    void outOfMemoryUnderTheLimit() throws Exception {
        SmokeTrainResult result = smoke.run(config("train_oom.py", List.of()), line -> { });

        assertFailure(result, FailureKind.OUT_OF_MEMORY, "more than its 512.0 MiB memory limit");
        assertThat(result.memoryLimitMechanism()).isIn(MemoryLimitMechanism.CGROUP_V1, MemoryLimitMechanism.CGROUP_V2,
                MemoryLimitMechanism.RSS_WATCHDOG);
        assertThat(result.peakMemoryBytes()).isGreaterThan(400L << 20);
        assertThat(check(result, "memory_limit").status()).isEqualTo(Status.FAIL);
        assertThat(check(result, "memory_limit").expected()).contains(result.memoryLimitMechanism().name());
    }

    @Test
    void numpyShapeMismatch() throws Exception {
        SmokeTrainResult result = smoke.run(config("train_shape.py", List.of()), line -> { });

        assertFailure(result, FailureKind.SHAPE_MISMATCH, "matmul: Input operand 1 has a mismatch in its core dimension");
        assertThat(result.logExcerpt()).anyMatch(l -> l.contains("logits = batch @ weights"));
    }

    @Test
    void missingPythonModule() throws Exception {
        SmokeTrainResult result = smoke.run(config("train_missing_dep.py", List.of()), line -> { });

        assertFailure(result, FailureKind.MISSING_DEPENDENCY, "No module named 'mlops_package_that_is_not_installed'");
    }

    @Test
    void nanLossFailsEvenWhenTheScriptExitsZero() throws Exception {
        SmokeTrainResult result = smoke.run(config("train_nan.py", List.of()), line -> { });

        assertFailure(result, FailureKind.NAN_LOSS, "epoch 2/2 loss=nan");
        assertThat(result.exitCode()).isZero();
        assertThat(check(result, "finite_loss").status()).isEqualTo(Status.FAIL);
    }

    @Test
    void hangingScriptTimesOut() throws Exception {
        SmokeTrainConfig config = new SmokeTrainConfig(TestPython.trainingCsv(dir, 500).toString(), 100, 2,
                Duration.ofSeconds(3), 2L << 30, null, 42, null, List.of(), dir.toString(),
                List.of(TestPython.python(), TestPython.script("train_hang.py"), dir.resolve("worker.pid").toString()));

        SmokeTrainResult result = smoke.run(config, line -> { });

        assertFailure(result, FailureKind.TIMEOUT, "time limit");
        assertThat(result.runDurationS()).isBetween(3.0, 20.0);
        assertThat(check(result, "time_limit").status()).isEqualTo(Status.FAIL);
        long worker = Long.parseLong(Files.readString(dir.resolve("worker.pid")).trim());
        LocalProcessLauncherTest.assertGone(worker);
    }

    @Test
    void missingOutputAndAStaleOneFromAnEarlierBuild() throws Exception {
        Path stale = Files.writeString(dir.resolve("model.pkl"), "from yesterday");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 86_400_000));

        SmokeTrainResult result = smoke.run(config("train_no_output.py", List.of("{out}/model.pt", "model.pkl")), line -> { });

        assertFailure(result, FailureKind.MISSING_OUTPUT, "did not write");
        assertThat(result.checks()).filteredOn(c -> c.name().equals("output_written"))
                .extracting(Check::status).containsExactly(Status.FAIL, Status.FAIL);
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void missingOutputNamesWhatTheUserWroteNotADeletedTemporaryPath() throws Exception {
        SmokeTrainResult result = smoke.run(config("train_no_output.py", List.of("{out}/model.pt")), line -> { });

        assertFailure(result, FailureKind.MISSING_OUTPUT, "did not write {out}/model.pt");
        assertThat(result.failureMessage() + result.summary() + check(result, "output_written").message())
                .doesNotContain("mlops-smoke-").doesNotContain(System.getProperty("java.io.tmpdir") + "/");
    }

    @Test
    void theCallersEnvironmentReachesTheScriptAndItsPathFindsTheProgram() throws Exception {
        // What a Jenkins build gives its steps (withEnv, a tool's PATH) and the launching JVM does not have.
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Path greet = Files.writeString(tools.resolve("greet"), "#!/bin/sh\necho \"greeting: $GREETING smoke=$MLOPS_SMOKE\"\n");
        assertThat(greet.toFile().setExecutable(true)).isTrue();
        List<String> console = new java.util.ArrayList<>();
        SmokeTrainResult result = smoke.run(new SmokeTrainConfig(TestPython.trainingCsv(dir, 200).toString(), 50, 1,
                Duration.ofSeconds(60), 512L << 20, null, 42, null, List.of(), dir.toString(), List.of("greet")),
                Map.of("GREETING", "hello", "PATH", tools + ":" + System.getenv("PATH")), console::add);

        assertThat(result.exitCode()).isZero();
        assertThat(console).contains("greeting: hello smoke=1");
    }

    @Test
    void aZeroByteModelIsNotAnOutput() throws Exception {
        Path data = TestPython.trainingCsv(dir, 200);
        SmokeTrainResult result = smoke.run(new SmokeTrainConfig(data.toString(), 50, 1, Duration.ofSeconds(60), 512L << 20,
                null, 42, null, List.of("{out}/model.pkl"), dir.toString(), List.of(TestPython.python(), "-c",
                        "import sys; open(sys.argv[1], 'w').close(); print('saved')", "{out}/model.pkl")), line -> { });

        assertFailure(result, FailureKind.MISSING_OUTPUT, "did not write {out}/model.pkl (0 bytes)");
        assertThat(check(result, "output_written").status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aScikitLearnRunPassesAt512m() throws Exception {
        SmokeTrainResult result = smoke.run(config("train_sklearn.py", List.of("{out}/model.pkl"), "{out}/model.pkl"),
                line -> { });

        assertThat(result.failure()).as(result.failureMessage()).isNull();
        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(check(result, "memory_limit").status()).isEqualTo(Status.PASS);
        assertThat(result.peakMemoryBytes()).isBetween(50L << 20, 512L << 20);
    }

    @Test
    void anUnknownPlaceholderIsBadInputBeforeAnythingRuns() throws Exception {
        Path data = TestPython.trainingCsv(dir, 50);
        assertThatThrownBy(() -> new SmokeTrainConfig(data.toString(), 10, 2, Duration.ofSeconds(5), 1 << 30, null, 1,
                null, List.of(), null, List.of("python", "train.py", "--data={dat}")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("unknown placeholder {dat} in '--data={dat}'; known: {data}, {epochs}, {out}");
        // JSON and a literal {{name}} pass; {data} inside an argument is substituted.
        assertThat(Placeholders.apply(List.of("--config={\"lr\": {\"max\": 1}}", "{{epoch}}", "--data={data}"),
                java.util.Map.of("data", "/s.csv"))).containsExactly("--config={\"lr\": {\"max\": 1}}", "{epoch}", "--data=/s.csv");
    }

    @Test
    void anyOtherErrorIsACrashWithItsTraceback() throws Exception {
        SmokeTrainResult result = smoke.run(config("train_crash.py", List.of()), line -> { });

        assertFailure(result, FailureKind.CRASH, "RuntimeError: checkpoint directory is read-only");
        assertThat(result.logExcerpt()).first().isEqualTo("Traceback (most recent call last):");
    }

    @Test
    void secretsInTheCommandAreNotRecorded() throws Exception {
        SmokeTrainResult result = smoke.run(config("train_ok.py", List.of(), "{data}", "{epochs}", "{out}",
                "--api-key=s3cr3t", "--token", "t0k3n"), line -> { });

        assertThat(String.join(" ", result.command())).doesNotContain("s3cr3t", "t0k3n").contains("--api-key=****");
    }

    @Test
    void badInputIsRejectedBeforeAnythingRuns() throws Exception {
        Path data = TestPython.trainingCsv(dir, 50);
        assertThatThrownBy(() -> new SmokeTrainConfig(data.toString(), 0, 2, Duration.ofSeconds(5), 1 << 30, null, 1, null,
                List.of(), null, List.of("python"))).isInstanceOf(BadInputException.class).hasMessageContaining("--rows");
        assertThatThrownBy(() -> new SmokeTrainConfig(data.toString(), 10, 2, Duration.ofSeconds(5), 1 << 30, null, 1, null,
                List.of(), null, List.of())).isInstanceOf(BadInputException.class).hasMessageContaining("no training command");
        SmokeTrainConfig unknownProgram = new SmokeTrainConfig(data.toString(), 10, 2, Duration.ofSeconds(5), 1 << 30, null,
                1, null, List.of(), dir.toString(), List.of("no-such-trainer-binary", "{data}"));
        assertThatThrownBy(() -> smoke.run(unknownProgram, line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no-such-trainer-binary");
    }

    /**
     * A starter that runs the command elsewhere (a Jenkins step inside container()): the program is the
     * target's to find, and the sample is written in the working directory, the one it shares.
     */
    @Test
    void aCommandStartedElsewhereGetsItsSampleInTheWorkingDirectory() throws Exception {
        Path data = TestPython.trainingCsv(dir, 200);
        List<ProcessSpec> started = new CopyOnWriteArrayList<>();
        List<List<String>> samples = new CopyOnWriteArrayList<>();
        ProcessStarter elsewhere = new ProcessStarter() {
            @Override
            public ProcessOutcome run(ProcessSpec spec, Consumer<String> console) {
                started.add(spec);
                try {
                    samples.add(Files.readAllLines(Path.of(spec.command().get(1))));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return new ProcessOutcome(0, null, false, 0.1, 0, MemoryLimitMechanism.ADDRESS_SPACE_ULIMIT, false,
                        List.of("trained in the container"), 1);
            }

            @Override
            public boolean local() {
                return false;
            }
        };
        SmokeTrainResult result = new SmokeTraining(elsewhere).run(new SmokeTrainConfig(data.toString(), 50, 1,
                Duration.ofSeconds(5), 1 << 30, null, 1, null, List.of(), dir.toString(),
                List.of("only-in-the-container", "{data}")), line -> { });

        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(started).singleElement().satisfies(spec -> {
            assertThat(spec.command().get(0)).isEqualTo("only-in-the-container");
            assertThat(spec.command().get(1)).startsWith(dir + "/.mlops-smoke-");
            assertThat(spec.memoryLimitBytes()).isEqualTo(1L << 30);
        });
        assertThat(samples.get(0)).hasSize(51);
        assertThat(result.memoryLimitMechanism()).isEqualTo(MemoryLimitMechanism.ADDRESS_SPACE_ULIMIT);
        try (var left = Files.list(dir)) {
            assertThat(left).noneMatch(path -> path.getFileName().toString().startsWith(".mlops-smoke-"));
        }
    }

    private SmokeTrainConfig config(String script, List<String> expectOutputs, String... args) throws Exception {
        Path data = TestPython.trainingCsv(dir, 1000);
        List<String> command = new java.util.ArrayList<>(List.of(TestPython.python(), TestPython.script(script)));
        command.addAll(List.of(args));
        return new SmokeTrainConfig(data.toString(), 100, 2, Duration.ofSeconds(60), 512L << 20, "label", 42, null,
                expectOutputs, dir.toString(), command);
    }

    private static void assertFailure(SmokeTrainResult result, FailureKind kind, String quoted) {
        assertThat(result.failure()).isEqualTo(kind);
        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(check(result, "training_script").status()).isEqualTo(Status.FAIL);
        assertThat(String.join("\n", result.logExcerpt()) + "\n" + result.failureMessage()).contains(quoted);
    }

    private static Check check(SmokeTrainResult result, String name) {
        return result.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
