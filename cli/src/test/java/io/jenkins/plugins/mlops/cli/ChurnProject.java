package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.TestEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * A copy of examples/churn in a temporary directory, as a user's checkout of it: its own
 * {@code .mlops/}, its {@code .venv} pointing at the test venv (same pinned packages as its
 * requirements.txt), and the batches its mlops.yaml reads.
 */
final class ChurnProject {
    static final Path REPO = Path.of(System.getProperty("mlops.repo", "..")).toAbsolutePath().normalize();
    static final Path EXAMPLE = REPO.resolve("examples/churn");
    private static final List<String> FILES = List.of("mlops.yaml", "train.py", "evaluate.py", "churn_features.py",
            "generate_data.py", "make_requests.py", "schema.yaml", "policy.yaml", "policy-first.yaml", "requirements.txt", "data/reference.csv");

    final Path dir;

    private ChurnProject(Path dir) {
        this.dir = dir;
    }

    static ChurnProject copy(Path dir) throws IOException {
        Path python = TestEnvironment.python("mlflow", "sklearn", "pandas");
        Files.createDirectories(dir.resolve("data"));
        for (String file : FILES) {
            Files.copy(EXAMPLE.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createSymbolicLink(dir.resolve(".venv"), python.getParent().getParent());
        return new ChurnProject(dir);
    }

    /** data/train.csv and data/holdout.csv, as `mlops demo` makes them. */
    void batch(boolean drifted) throws Exception {
        generate("data/train.csv", drifted, "--rows", "5000", "--id-start", "5001", "--seed", drifted ? "3" : "2");
        generate("data/holdout.csv", drifted, "--rows", "5000", "--id-start", "10001", "--seed", drifted ? "5" : "4");
        exec(List.of(dir.resolve(".venv/bin/python").toString(), "make_requests.py", "--data", "data/holdout.csv",
                "--rows", "400", "--out", "data/requests.jsonl"));
    }

    void replace(String file, String from, String to) throws IOException {
        Path path = dir.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }

    /** Runs {@code mlops ARGS} in-process; stdout and stderr are kept. */
    static Result mlops(String... args) {
        return mlops(System.getenv(), args);
    }

    /** Runs {@code mlops ARGS} with {@code environment} as what {@code mlops drift} and {@code demo} read credentials from. */
    static Result mlops(java.util.Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = MlopsCommand.commandLine();
        ((DriftCommand) commandLine.getSubcommands().get("drift").getCommand()).environment = environment;
        ((DemoCommand) commandLine.getSubcommands().get("demo").getCommand()).environment = environment;
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    Result run() {
        return mlops("run", dir.resolve("mlops.yaml").toString());
    }

    record Result(int code, String out, String err) {
        /** The last line printed: the report's path. */
        Path report() {
            String[] lines = out.strip().split("\n");
            return Path.of(lines[lines.length - 1]);
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private void generate(String out, boolean drifted, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", "generate_data.py"));
        command.addAll(List.of(options));
        if (drifted) {
            command.add("--drift");
        }
        command.addAll(List.of("--out", out));
        exec(command);
    }

    private void exec(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
