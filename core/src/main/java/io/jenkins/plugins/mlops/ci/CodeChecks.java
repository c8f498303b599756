package io.jenkins.plugins.mlops.ci;

import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.process.LocalProcessLauncher;
import io.jenkins.plugins.mlops.process.ProcessOutcome;
import io.jenkins.plugins.mlops.process.ProcessSpec;
import io.jenkins.plugins.mlops.process.ProcessStarter;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The {@code ci} step: the project's own checks (lint, formatting, types, unit tests), each a
 * command with a name. Every command runs, so one run shows every problem; a command fails when
 * it exits non-zero, times out, or its JUnit file lists a failing case. Each command's JUnit XML
 * lands in the report directory, its own or one made from its exit status and output.
 */
public final class CodeChecks {
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);
    private static final int EXCERPT = 30;

    private final ProcessStarter launcher;

    public CodeChecks() {
        this(new LocalProcessLauncher());
    }

    /** @param launcher where the checks run: this machine by default, or a Jenkins step's (decorated) launcher */
    public CodeChecks(ProcessStarter launcher) {
        this.launcher = launcher;
    }

    /**
     * @param console receives each command's output, line by line
     * @throws BadInputException when a command's program is not installed (named); the commands before it ran
     */
    public CiResult run(CiConfig config, Consumer<String> console) {
        return run(config, Map.of(), console);
    }

    /** As {@link #run(CiConfig, Consumer)}, with variables over this process's environment (a Jenkins build's). */
    public CiResult run(CiConfig config, Map<String, String> environment, Consumer<String> console) {
        Instant started = Instant.now();
        Path workDir = config.workingDirectory() == null ? Path.of("").toAbsolutePath() : Path.of(config.workingDirectory());
        Path junitDir = workDir.resolve(config.junitDir());
        createDirectory(junitDir);
        // Every command's file of an earlier run goes, a renamed or removed command's too: a CI
        // server's junit glob must not find a verdict this run did not make.
        deleteEarlierJunitFiles(junitDir);
        List<CommandOutcome> outcomes = new ArrayList<>();
        for (CheckCommand command : config.commands()) {
            outcomes.add(runOne(command, config, environment, workDir, junitDir, console));
        }
        List<Check> checks = outcomes.stream().map(CodeChecks::check).toList();
        Status status = Status.worstOf(checks);
        return new CiResult(CiResult.SCHEMA, CiResult.STEP, status, started,
                Duration.between(started, Instant.now()).toNanos() / 1e9, summary(outcomes), checks, outcomes);
    }

    private CommandOutcome runOne(CheckCommand command, CiConfig config, Map<String, String> environment, Path workDir,
            Path junitDir, Consumer<String> console) {
        Path junit = junitDir.resolve(command.junitFileName());
        List<String> argv = command.expanded(junit);
        List<String> shown = Redaction.redactCommand(argv);
        console.accept("mlops ci: " + command.name() + ": " + String.join(" ", shown));
        ProcessOutcome process = launcher.run(new ProcessSpec(argv, environment, workDir, config.timeout(), 0, KILL_GRACE),
                console);
        String exit = process.timedOut() ? "stopped at the " + Durations.format(config.timeout()) + " time limit"
                : process.exitCode() == 0 ? null : "exited with status " + process.exitCode();
        List<String> tail = process.logTail().subList(Math.max(0, process.logTail().size() - EXCERPT),
                process.logTail().size());
        JunitSummary tests = null;
        String unreadable = null;
        boolean fromCommand = Files.isRegularFile(junit);
        if (fromCommand) {
            try {
                tests = relative(JunitFiles.read(junit), workDir);
                JunitFiles.redact(junit);
            } catch (BadInputException e) {
                unreadable = "its JUnit file is unreadable: " + e.getMessage();
            }
        }
        if (tests == null) {
            String problem = unreadable != null ? unreadable : exit;
            AtomicFiles.write(junit, Redaction.redactKnown(JunitFiles.forCommand(command.name(), process.durationS(),
                    problem, tail)));
            tests = JunitFiles.read(junit);
            fromCommand = false;
        }
        Status status = exit != null || unreadable != null || tests.hasProblems() ? Status.FAIL : Status.PASS;
        String message = message(command, exit, unreadable, tests, fromCommand);
        console.accept("mlops ci: " + command.name() + ": " + status + ", " + message);
        return new CommandOutcome(command.name(), shown, status, process.exitCode(), process.timedOut(),
                process.durationS(), junit.getFileName().toString(), fromCommand, tests, message, tail);
    }

    /** Test names as the project knows them: ruff names a case by its file's absolute path. */
    private static JunitSummary relative(JunitSummary tests, Path workDir) {
        String prefix = workDir.toString() + "/";
        return new JunitSummary(tests.tests(), tests.failures(), tests.errors(), tests.skipped(), tests.failed().stream()
                .map(t -> new FailedTest(t.test().replace(prefix, ""), t.kind(), t.message())).toList());
    }

    private static String message(CheckCommand command, String exit, String unreadable, JunitSummary tests,
            boolean fromCommand) {
        List<String> parts = new ArrayList<>();
        parts.add(exit == null ? "exited 0" : exit);
        if (unreadable != null) {
            parts.add(unreadable);
        }
        if (fromCommand) {
            parts.add(count(tests));
            if (exit != null && !tests.hasProblems()) {
                // pytest exits 5 when it collected nothing, mypy 2 when it crashed: the status decides.
                parts.add("its JUnit file lists no failing case, the exit status fails it");
            }
        }
        return command.name() + " " + String.join("; ", parts);
    }

    private static String count(JunitSummary tests) {
        String failing = tests.failures() + tests.errors() == 0 ? "none failed"
                : (tests.failures() + tests.errors()) + " failed";
        return tests.tests() + (tests.tests() == 1 ? " test case, " : " test cases, ") + failing
                + (tests.skipped() == 0 ? "" : ", " + tests.skipped() + " skipped");
    }

    private static Check check(CommandOutcome outcome) {
        JunitSummary tests = outcome.tests();
        String observed = (outcome.timedOut() ? "timed out" : "exit " + outcome.exitCode())
                + (outcome.junitFromCommand() ? ", " + (tests.failures() + tests.errors()) + " of " + tests.tests()
                        + " failed" : "");
        return Check.of(outcome.name(), null, outcome.status(), observed, "exit 0, no failing test case",
                outcome.message() + (tests.failed().isEmpty() || !outcome.junitFromCommand() ? ""
                        : "; first: " + tests.failed().get(0).test() + ": " + tests.failed().get(0).message()));
    }

    private static String summary(List<CommandOutcome> outcomes) {
        List<CommandOutcome> failed = outcomes.stream().filter(o -> o.status() != Status.PASS).toList();
        int tests = outcomes.stream().filter(CommandOutcome::junitFromCommand).mapToInt(o -> o.tests().tests()).sum();
        if (failed.isEmpty()) {
            return String.format(Locale.ROOT, "CI passed: %s (%d test cases in their JUnit files).",
                    outcomes.stream().map(CommandOutcome::name).collect(Collectors.joining(", ")), tests);
        }
        return "CI failed: " + failed.stream().map(CommandOutcome::message).collect(Collectors.joining("; ")) + ".";
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + " for the JUnit files", e);
        }
    }

    private static void deleteEarlierJunitFiles(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "ci-?*-junit.xml")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the earlier JUnit files in " + dir, e);
        }
    }
}
