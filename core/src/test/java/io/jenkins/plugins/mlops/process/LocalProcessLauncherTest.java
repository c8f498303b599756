package io.jenkins.plugins.mlops.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.train.Failure;
import io.jenkins.plugins.mlops.train.FailureClassifier;
import io.jenkins.plugins.mlops.train.FailureKind;
import io.jenkins.plugins.mlops.train.RunEnding;
import io.jenkins.plugins.mlops.train.TestPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

public class LocalProcessLauncherTest {
    private final LocalProcessLauncher launcher = new LocalProcessLauncher();

    @TempDir
    Path dir;

    @Test
    void timeoutStopsTheWholeTreeIncludingAForkedWorker() throws Exception {
        Path pidFile = dir.resolve("worker.pid");
        ProcessSpec spec = new ProcessSpec(List.of(TestPython.python(), TestPython.script("train_hang.py"), pidFile.toString()),
                Map.of(), dir, Duration.ofSeconds(3), 0, Duration.ofMillis(500));

        ProcessOutcome outcome = launcher.run(spec, line -> { });

        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.durationS()).isLessThan(20);
        long workerPid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(outcome.logTail()).contains("started worker " + workerPid);
        assertGone(workerPid);
    }

    @Test
    void workersLeftBehindByAFinishedScriptAreStopped() throws Exception {
        TestEnvironment.command("setsid");
        Path pidFile = dir.resolve("worker.pid");
        ProcessSpec spec = new ProcessSpec(List.of(TestPython.python(), TestPython.script("train_leaves_worker.py"),
                pidFile.toString(), dir.toString()), Map.of(), dir, Duration.ofSeconds(30), 0, Duration.ofSeconds(1));

        ProcessOutcome outcome = launcher.run(spec, line -> { });

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.timedOut()).isFalse();
        assertGone(Long.parseLong(Files.readString(pidFile).trim()));
    }

    /** The machine's own choice (a cgroup where one is writable) and the /proc watchdog that is the fallback. */
    static Stream<LocalProcessLauncher> launchers() {
        return Stream.of(new LocalProcessLauncher(), LocalProcessLauncher.withoutCgroups());
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void aScikitLearnScriptThatMapsMuchMoreThanItUsesPassesAt512m(LocalProcessLauncher launcher) {
        Path model = dir.resolve("model.pkl");
        ProcessSpec spec = new ProcessSpec(List.of(TestPython.python(), TestPython.script("train_sklearn.py"),
                model.toString()), Map.of(), dir, Duration.ofSeconds(120), 512L << 20, Duration.ofSeconds(1));

        ProcessOutcome outcome = launcher.run(spec, line -> { });

        assertThat(outcome.memoryLimitMechanism()).isNotEqualTo(MemoryLimitMechanism.NONE);
        assertThat(outcome.exitCode()).as(String.join("\n", outcome.logTail())).isZero();
        assertThat(outcome.memoryLimitExceeded()).isFalse();
        assertThat(outcome.logTail()).contains("saved model");
        assertThat(outcome.peakMemoryBytes()).isBetween(50L << 20, 512L << 20);
        assertThat(FailureClassifier.classify(RunEnding.of(outcome, 512L << 20), List.of())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void aScriptThatGrowsPastTheLimitIsKilledAndIsOutOfMemory(LocalProcessLauncher launcher) {
        ProcessSpec spec = new ProcessSpec(List.of(TestPython.python(), TestPython.script("train_grows.py")), Map.of(), dir,
                Duration.ofSeconds(60), 256L << 20, Duration.ofSeconds(1));

        ProcessOutcome outcome = launcher.run(spec, line -> { });

        assertThat(outcome.memoryLimitExceeded()).isTrue();
        assertThat(outcome.signal()).isEqualTo("SIGKILL");
        assertThat(outcome.logTail()).contains("holding 128 MiB").doesNotContain("never printed: 4 GiB held");
        // Killed at the limit, not long after: a sample every 50 ms sees at most a few more 16 MiB blocks.
        assertThat(outcome.peakMemoryBytes()).isBetween(200L << 20, 400L << 20);
        Failure failure = FailureClassifier.classify(RunEnding.of(outcome, 256L << 20), List.of()).orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.OUT_OF_MEMORY);
        assertThat(failure.message()).contains("more than its 256.0 MiB memory limit (peak ");
    }

    @Test
    void aWorkerForkedByTheScriptCountsTowardsTheLimit() {
        String program = "import subprocess, sys, time\n"
                + "w = subprocess.Popen([sys.executable, '-c', 'import time; b = bytearray(300 << 20); print(\"worker holds 300 MiB\", flush=True); time.sleep(30)'])\n"
                + "time.sleep(30)\n";
        ProcessOutcome outcome = LocalProcessLauncher.withoutCgroups().run(new ProcessSpec(List.of(TestPython.python(), "-c",
                program), Map.of(), dir, Duration.ofSeconds(60), 200L << 20, Duration.ofSeconds(1)), line -> { });

        assertThat(outcome.memoryLimitExceeded()).isTrue();
        assertThat(outcome.durationS()).isLessThan(25);
        assertThat(outcome.memoryLimitMechanism()).isEqualTo(MemoryLimitMechanism.RSS_WATCHDOG);
    }

    @Test
    void killingMlopsWithSigkillTakesTheTrainingTreeWithIt() throws Exception {
        TestEnvironment.command("setsid");
        Path pids = dir.resolve("pids");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process mlops = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LauncherProbe.class.getName(), TestPython.python(), TestPython.script("train_forever.py"), pids.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("probe.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(pids) && mlops.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pids).as(Files.readString(dir.resolve("probe.log"))).exists();
            List<Long> trainingTree = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
            assertThat(trainingTree).allMatch(pid -> ProcessHandle.of(pid).isPresent());

            mlops.destroyForcibly();  // SIGKILL: no shutdown hook runs
            mlops.waitFor();

            for (long pid : trainingTree) {
                assertGone(pid);
            }
        } finally {
            mlops.destroyForcibly();
        }
    }

    @Test
    void streamsEveryLineInOrderAndMeasuresPeakMemory() {
        String program = "import time\n"
                + "block = bytearray(150 * 1024 * 1024)\n"
                + "for i in range(300):\n    print('line', i)\n"
                + "time.sleep(0.5)\n";
        List<String> seen = new CopyOnWriteArrayList<>();
        ProcessOutcome outcome = launcher.run(new ProcessSpec(List.of(TestPython.python(), "-c", program), Map.of(), dir,
                Duration.ofSeconds(30), 0, Duration.ofSeconds(1)), seen::add);

        assertThat(outcome.exitCode()).isZero();
        assertThat(seen).hasSize(300).startsWith("line 0").endsWith("line 299");
        assertThat(outcome.logLines()).isEqualTo(300);
        assertThat(outcome.logTail()).hasSize(LocalProcessLauncher.TAIL_LINES).endsWith("line 299");
        // bytearray touches every page: the 150 MiB are resident.
        assertThat(outcome.peakMemoryBytes()).isGreaterThan(150L << 20);
    }

    @Test
    void aHugeLineIsClippedAndBytesThatAreNotUtf8AreReplaced() {
        ProcessOutcome outcome = launcher.run(new ProcessSpec(List.of(TestPython.python(), "-c",
                "import sys; sys.stdout.write('x' * 5_000_000 + '\\n'); sys.stdout.flush(); sys.stdout.buffer.write(b'\\xff done\\n')"), Map.of(), dir,
                Duration.ofSeconds(30), 0, Duration.ofSeconds(1)), line -> { });

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.logTail()).hasSize(2);
        assertThat(outcome.logTail().get(0)).hasSizeLessThan(LogTail.MAX_LINE + 10);
        assertThat(outcome.logTail().get(1)).isEqualTo("\uFFFD done");
    }

    @Test
    void reportsTheSignalThatKilledTheProcess() {
        ProcessOutcome outcome = launcher.run(new ProcessSpec(List.of(TestPython.python(), "-c",
                "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"), Map.of(), dir, Duration.ofSeconds(30), 0,
                Duration.ofSeconds(1)), line -> { });

        assertThat(outcome.exitCode()).isEqualTo(137);
        assertThat(outcome.signal()).isEqualTo("SIGKILL");
        assertThat(outcome.timedOut()).isFalse();
    }

    @Test
    void passesTheEnvironmentAndKeepsArgumentsWhole() {
        List<String> seen = new CopyOnWriteArrayList<>();
        launcher.run(new ProcessSpec(List.of(TestPython.python(), "-c",
                "import os, sys; print(os.environ['MLOPS_EPOCHS']); print(sys.argv[1])", "a b; echo 'c'"),
                Map.of("MLOPS_EPOCHS", "7"), dir, Duration.ofSeconds(30), 0, Duration.ofSeconds(1)), seen::add);

        assertThat(seen).containsExactly("7", "a b; echo 'c'");
    }

    @Test
    void anUnknownProgramIsBadInput() {
        ProcessSpec spec = new ProcessSpec(List.of("mlops-no-such-trainer"), Map.of(), dir, Duration.ofSeconds(5), 0,
                Duration.ofSeconds(1));
        assertThatThrownBy(() -> launcher.run(spec, line -> { }))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("mlops-no-such-trainer");
        ProcessSpec relative = new ProcessSpec(List.of("./missing.sh"), Map.of(), dir, Duration.ofSeconds(5), 0,
                Duration.ofSeconds(1));
        assertThatThrownBy(() -> launcher.run(relative, line -> { }))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("./missing.sh");
    }

    public static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("process %d is still running", pid).isFalse();
    }
}
