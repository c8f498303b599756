package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.process.LocalProcessLauncher;
import io.jenkins.plugins.mlops.process.ProcessOutcome;
import io.jenkins.plugins.mlops.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs the user's evaluate command: a model's predictions on the hold-out rows, into a file the gate reads. */
final class Evaluation {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);

    private Evaluation() {}

    /**
     * @param model the model's directory or URI, for {@code {model}}; null for a command without one
     * @param out the predictions file, for {@code {out}}
     * @throws StageFailedException when the command fails or writes no file: the gate cannot decide, so it fails
     */
    static Path predictions(RunState state, String key, List<String> command, String model, Path out) {
        Map<String, String> values = model == null ? Map.of("out", out.toString())
                : Map.of("model", model, "out", out.toString());
        List<String> argv = command.stream().map(argument -> state.expand(argument, values)).toList();
        try {
            Files.createDirectories(out.getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        state.console.accept("evaluate: " + String.join(" ", argv));
        ProcessOutcome outcome;
        try {
            outcome = new LocalProcessLauncher().run(new ProcessSpec(argv, Map.of(), state.project, TIMEOUT, 0, KILL_GRACE),
                    state.console);
        } catch (BadInputException e) {
            throw new BadInputException(key + ": " + e.getMessage(), e);
        }
        if (outcome.timedOut() || outcome.exitCode() != 0) {
            throw new StageFailedException(key + " failed (" + (outcome.timedOut() ? "timed out after " + TIMEOUT.toMinutes()
                    + " min" : "exit " + outcome.exitCode()) + "): " + String.join(" | ", lastLines(outcome.logTail(), 3)));
        }
        if (!Files.isRegularFile(out)) {
            throw new StageFailedException(key + " exited 0 but wrote no predictions at " + out + " ({out})");
        }
        return out;
    }

    private static List<String> lastLines(List<String> lines, int count) {
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }
}
