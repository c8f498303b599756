package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.ci.CheckCommand;
import io.jenkins.plugins.mlops.ci.CiConfig;
import io.jenkins.plugins.mlops.ci.CiResult;
import io.jenkins.plugins.mlops.ci.CodeChecks;
import io.jenkins.plugins.mlops.report.CiPanels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code mlops ci}: the project's own lint, format, type and unit-test commands, with their JUnit XML. */
@Command(name = "ci",
        description = "Runs the project's own checks (lint, formatting, types, unit tests), each a named command, all"
                + " of them, and fails when one exits non-zero, times out or lists a failing test case in its JUnit"
                + " XML. {junit} in a command is where it writes its JUnit XML (ci-NAME-junit.xml in --report);"
                + " a command that writes none gets one made from its exit status and output.",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = MlopsCommand.Version.class,
        footerHeading = "%nExample:%n",
        footer = {
            "  mlops ci --report reports/ci \\",
            "      --command 'lint=ruff check --output-format junit --output-file {junit} .' \\",
            "      --command 'format=black --check .' \\",
            "      --command 'types=mypy --junit-xml {junit} .' \\",
            "      --command 'tests=python -m pytest --junitxml {junit} tests'",
            "",
            "Exit codes: 0 passed, 1 a check failed, 2 bad input (a program not installed, a malformed command)."
        })
public final class CiCommand extends StepCommand<CiResult> {

    @Option(names = "--command", required = true, paramLabel = "NAME=COMMAND",
            description = "A check: its name, '=', and the command split as a shell would, run without a shell"
                    + " (repeatable, run in order).")
    List<String> commands = new ArrayList<>();

    @Option(names = "--timeout", defaultValue = "10m", showDefaultValue = Visibility.ALWAYS, paramLabel = "DURATION",
            converter = DurationConverter.class, description = "Time limit of each command.")
    Duration timeout;

    @Override
    protected CiResult runStep() {
        List<CheckCommand> checks = commands.stream().map(CheckCommand::parse).toList();
        if (output.reportDir != null) {
            return new CodeChecks().run(new CiConfig(checks, timeout, null, output.reportDir.toString()), this::progress);
        }
        // Without --report the commands still need somewhere to write {junit}; nothing is kept.
        Path scratch = scratch();
        try {
            return new CodeChecks().run(new CiConfig(checks, timeout, null, scratch.toString()), this::progress);
        } finally {
            deleteTree(scratch);
        }
    }

    @Override
    protected String reportName() {
        return "ci";
    }

    @Override
    protected String reportTitle() {
        return "CI checks";
    }

    @Override
    protected List<String> reportPanels(CiResult result) {
        return List.of(CiPanels.commands(result));
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("mlops-ci-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the JUnit files", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A file a command still holds stays in the temporary directory.
        }
    }
}
