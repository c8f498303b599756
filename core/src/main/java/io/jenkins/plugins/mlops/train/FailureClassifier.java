package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.process.MemoryLimitMechanism;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names the failure of a training run from its exit status, signal and the tail of its log, and
 * quotes the lines that show it. The last matching line wins: the exception that ended a Python
 * run is printed last, after any warnings and chained tracebacks.
 */
public final class FailureClassifier {
    private static final int CONTEXT_BEFORE = 4;
    private static final int CRASH_QUOTE = 15;
    private static final int MESSAGE_LINE = 300;

    private record Rule(FailureKind kind, Pattern pattern) {}

    private static final List<Rule> ERROR_RULES = List.of(
            rule(FailureKind.OUT_OF_MEMORY,
                    "MemoryError",                              // Python, numpy's _ArrayMemoryError
                    "CUDA out of memory|CUDA error: out of memory|OutOfMemoryError",  // PyTorch, JVM
                    "std::bad_alloc",
                    "ResourceExhaustedError|OOM when allocating tensor",  // TensorFlow
                    "Cannot allocate memory|Unable to allocate",
                    "^Killed$"),                                // a shell reporting the OOM killer
            rule(FailureKind.MISSING_DEPENDENCY,
                    "ModuleNotFoundError|No module named",
                    "^\\w*ImportError\\b|^ImportError:",
                    "cannot open shared object file",
                    ": command not found$"),
            rule(FailureKind.SHAPE_MISMATCH,
                    // numpy
                    "operands could not be broadcast together",
                    "shapes \\(.*\\) and \\(.*\\) not aligned",
                    "mismatch in its core dimension",
                    "cannot reshape array of size",
                    "all the input array dimensions .*must match exactly",
                    "all the input arrays must have same number of dimensions",
                    "could not broadcast input array from shape",
                    "inhomogeneous shape",
                    // PyTorch
                    "mat1 and mat2 shapes cannot be multiplied",
                    "size mismatch",
                    "The size of tensor a \\(\\d+\\) must match the size of tensor b",
                    "Expected input batch_size \\(\\d+\\) to match target batch_size",
                    "shape '\\[.*\\]' is invalid for input of size",
                    "Given groups=\\d+, weight of size",
                    "Sizes of tensors must match",
                    "target size \\(.*\\) that is different to the input size",
                    // TensorFlow / Keras
                    "Incompatible shapes",
                    "Dimensions must be equal",
                    "expected axis -?\\d+ of input shape to have value",
                    "is incompatible with the layer",
                    "Shapes \\(.*\\) and \\(.*\\) are incompatible",
                    "Matrix size-incompatible",
                    // scikit-learn
                    "X has \\d+ features?, but \\w+ is expecting \\d+ features?",
                    "Found input variables with inconsistent numbers of samples",
                    "Expected 2D array, got (1D|scalar) array instead",
                    "Found array with \\d+ (sample|feature)\\(s\\)"));

    private static final Rule NAN_RULE = rule(FailureKind.NAN_LOSS,
            // "loss=nan", "Loss is inf", PyTorch's "Loss: tensor(nan, grad_fn=...)"
            "(?i)loss[^a-z0-9\\n]{0,3}(is\\s+|became\\s+)?(tensor\\(\\s*)?[-+]?(nan|inf|infinity)\\b",
            "(?i)\\bnan loss\\b",
            "Invalid loss, terminating training",      // Keras TerminateOnNaN
            "Function '\\w+' returned nan values");    // torch.autograd anomaly detection

    private FailureClassifier() {}

    /**
     * @param missingOutputs expected output files that were not written
     * @return the failure, or empty when the run succeeded
     */
    public static Optional<Failure> classify(RunEnding ending, List<String> missingOutputs) {
        List<String> log = ending.logTail();
        if (ending.timedOut()) {
            return Optional.of(new Failure(FailureKind.TIMEOUT,
                    "the training script did not finish within the time limit; its process tree was stopped",
                    last(log, 10)));
        }
        if (ending.memoryKill() != null) {
            RunEnding.MemoryKill kill = ending.memoryKill();
            String by = kill.mechanism() == MemoryLimitMechanism.RSS_WATCHDOG ? "by mlops' memory watchdog"
                    : "by the kernel's OOM killer in its " + (kill.mechanism() == MemoryLimitMechanism.CGROUP_V2 ? "cgroup v2" : "cgroup");
            return Optional.of(new Failure(FailureKind.OUT_OF_MEMORY, "the training script used more than its "
                    + ByteSize.format(kill.limitBytes()) + " memory limit (peak " + ByteSize.format(kill.peakBytes())
                    + " resident) and its process tree was killed " + by, last(log, 10)));
        }
        if ("OOMKilled".equals(ending.terminationReason())) {
            return Optional.of(new Failure(FailureKind.OUT_OF_MEMORY,
                    "the container was killed by the kernel for exceeding its memory limit (OOMKilled)", last(log, 10)));
        }
        Optional<Failure> nan = lastMatch(log, List.of(NAN_RULE));
        boolean failed = ending.exitCode() == null || ending.exitCode() != 0;
        if (failed) {
            Optional<Failure> error = lastMatch(log, ERROR_RULES);
            if (error.isPresent()) {
                return error;
            }
            if ("SIGKILL".equals(ending.signal())) {
                return Optional.of(new Failure(FailureKind.OUT_OF_MEMORY,
                        "the training script was killed by SIGKILL without an error message, the mark of the kernel's"
                                + " OOM killer", last(log, 10)));
            }
            if (nan.isPresent()) {
                return nan;
            }
            return Optional.of(new Failure(FailureKind.CRASH, crashMessage(ending, log), lastTraceback(log)));
        }
        if (nan.isPresent()) {
            return nan;
        }
        if (!missingOutputs.isEmpty()) {
            return Optional.of(new Failure(FailureKind.MISSING_OUTPUT,
                    "the training script exited 0 but did not write " + String.join(", ", missingOutputs), last(log, 10)));
        }
        return Optional.empty();
    }

    private static String crashMessage(RunEnding ending, List<String> log) {
        String how = ending.exitCode() == null ? "failed"
                : ending.signal() != null ? "was killed by " + ending.signal()
                : "exited with status " + ending.exitCode();
        String lastLine = log.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse(null);
        return "the training script " + how + (lastLine == null ? "" : ": " + clip(lastLine.strip()));
    }

    private static Optional<Failure> lastMatch(List<String> log, List<Rule> rules) {
        for (int i = log.size() - 1; i >= 0; i--) {
            String line = log.get(i);
            for (Rule rule : rules) {
                if (rule.pattern().matcher(line).find()) {
                    List<String> evidence = new ArrayList<>(log.subList(Math.max(0, i - CONTEXT_BEFORE), i + 1));
                    String message = "the training script " + rule.kind().phrase() + ": " + clip(line.strip());
                    return Optional.of(new Failure(rule.kind(), message, evidence));
                }
            }
        }
        return Optional.empty();
    }

    /** From the last Python traceback header to the end, or the last lines when there is none. */
    private static List<String> lastTraceback(List<String> log) {
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).startsWith("Traceback (most recent call last)")) {
                List<String> traceback = log.subList(i, log.size());
                // A copy: the evidence goes into results, which are serialized, and a subList view is not.
                return traceback.size() <= CRASH_QUOTE ? List.copyOf(traceback) : last(traceback, CRASH_QUOTE);
            }
        }
        return last(log, 10);
    }

    private static List<String> last(List<String> log, int n) {
        return List.copyOf(log.subList(Math.max(0, log.size() - n), log.size()));
    }

    private static String clip(String line) {
        return line.length() <= MESSAGE_LINE ? line : line.substring(0, MESSAGE_LINE) + " …";
    }

    private static Rule rule(FailureKind kind, String... patterns) {
        return new Rule(kind, Pattern.compile(String.join("|", patterns), Pattern.MULTILINE));
    }
}
