package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.pipeline.PipelineConfig;
import io.jenkins.plugins.mlops.pipeline.PipelineFile;
import io.jenkins.plugins.mlops.pipeline.Registries;
import io.jenkins.plugins.mlops.registry.ModelNotFoundException;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlops demo}: the churn example's Continuous Training pipeline on this machine. Makes the
 * example's venv (once per requirements.txt), generates a batch of data and runs its
 * {@code mlops.yaml}. The first run has no champion and promotes the first model; later runs (or
 * {@code --drift}) get a batch after a price rise: drift detected, retraining, the gate against
 * the champion. {@code --regression} trains as a pull request that drops the strongest feature
 * would: the gate blocks it and the champion stays.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the churn example's pipeline end to end on this machine: a Python venv from its requirements.txt "
                    + "(made once, reused while the file is unchanged), a generated batch of customers, then validate, "
                    + "smoke-train, train, gate, register on the local registry, package (when docker-registry, mmdebstrap, podman and "
                    + "runc are installed: each version becomes an image in a loopback registry of the example's own), then shadow "
                    + "and canary behind the embedded router in front of two MLflow model servers: containers of the two "
                    + "versions' images with podman, else processes (the demo says which and why).",
            "The first run has no production model and gates on absolute thresholds; a second run (or --drift) trains on "
                    + "a drifted batch and gates against the champion. --regression (after the second run) trains without "
                    + "the strongest feature, as a pull request might: the gate fails it and the champion stays. "
                    + "The last line printed is the report's path.",
            "With MLOPS_WAREHOUSE_URL (jdbc:postgresql://..., credentials in MLOPS_WAREHOUSE_USER and MLOPS_WAREHOUSE_PASSWORD) "
                    + "the batch is loaded into the table churn_customers under its batch id, and an ingest stage selects it "
                    + "into data/train.parquet, which the stages read: the registered version names the query and the data's "
                    + "fingerprint. Without it the data is file-based."
        },
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the pipeline passed", "  1  a stage failed (with --regression: the gate blocked the change, as it should)",
            "  2  bad input (no example found; --regression without a champion)",
            "  3  the venv could not be made (no python3, no package index), or the warehouse of MLOPS_WAREHOUSE_URL refused "
                    + "the connection or the batch"})
public final class DemoCommand implements Callable<Integer> {
    private static final Duration PIP_TIMEOUT = Duration.ofMinutes(20);
    /** The churn model's strongest feature: without it the model ranks customers worse. */
    static final String STRONGEST_FEATURE = "contract";

    @Option(names = "--drift", description = "Train on a drifted batch (a price rise, a new payment method), as a later run does.")
    boolean drift;

    @Option(names = "--regression",
            description = "Train as a pull request that drops the strongest feature would (train.py --drop-feature "
                    + STRONGEST_FEATURE + "), on the drifted batch; needs a champion. The gate blocks it: exit 1.")
    boolean regression;

    @Option(names = "--example", paramLabel = "DIR",
            description = "The example project (default: examples/churn of the mlops checkout, MLOPS_HOME).")
    Path example;

    @Option(names = {"-q", "--quiet"}, description = "Print only the report path (and errors).")
    boolean quiet;

    @Spec
    CommandSpec spec;

    /** Where MLOPS_WAREHOUSE_URL and its credentials are read from (tests give their own). */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        Path project = project();
        DemoWarehouse warehouse = DemoWarehouse.fromEnvironment(environment);
        PipelineConfig config = PipelineFile.read(project.resolve("mlops.yaml"));
        ModelVersion championVersion = champion(project, config);
        boolean champion = championVersion != null;
        boolean drifted = drift || regression || champion;
        String batch = drifted ? "after-price-rise" : "first";
        if (warehouse == null) {
            say("demo: the data is file-based (" + DemoWarehouse.BATCH_FILE + "); set " + DemoWarehouse.URL
                    + " to ingest from PostgreSQL");
        } else {
            warehouse.check();
            config = warehouse.pipeline(project.resolve("mlops.yaml"), batch);
        }
        if (regression) {
            config = withoutStrongestFeature(config, champion);
        }
        venv(project);
        say(drifted ? "demo: a new batch after a price rise and a new payment method (drift), to retrain on"
                : "demo: first run, a batch like the training data; no production model yet");
        if (regression) {
            say("demo: a pull request's training change: train.py --drop-feature " + STRONGEST_FEATURE
                    + " (its strongest feature); the gate decides");
        }
        generate(project, drifted);
        if (warehouse != null) {
            long rows = warehouse.load(project.resolve(DemoWarehouse.BATCH_FILE), batch);
            say("demo: loaded " + rows + " rows into " + DemoWarehouse.TABLE + " (batch '" + batch + "') at " + warehouse.shown()
                    + "; the ingest stage selects them into " + DemoWarehouse.INGESTED + " for the other stages");
        }
        try (DemoImages images = DemoImages.prepare(project, championVersion, this::say, config)) {
            return RunCommand.run(images.pipeline(), project, spec, false, quiet);
        }
    }

    private Path project() {
        Path dir = example;
        if (dir == null) {
            String home = System.getenv("MLOPS_HOME");
            dir = (home == null || home.isBlank() ? Path.of("") : Path.of(home)).resolve("examples/churn");
        }
        dir = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("mlops.yaml")) || !Files.isRegularFile(dir.resolve("requirements.txt"))) {
            throw new BadInputException(dir + ": not the example project (no mlops.yaml and requirements.txt); "
                    + "run from the mlops checkout or give --example DIR");
        }
        return dir;
    }

    /** The example's venv, made from requirements.txt and remade only when that file changes. */
    private void venv(Path project) {
        Path venv = project.resolve(".venv");
        Path marker = venv.resolve(".requirements.sha256");
        String hash = sha256(project.resolve("requirements.txt"));
        try {
            if (Files.isExecutable(venv.resolve("bin/python")) && Files.isRegularFile(marker)
                    && Files.readString(marker).strip().equals(hash)) {
                say("demo: reusing " + project.relativize(venv) + " (requirements.txt unchanged)");
                return;
            }
            say("demo: making " + venv + " from requirements.txt (once; a few minutes)");
            exec(project, List.of("python3", "-m", "venv", venv.toString()));
            exec(project, List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", "-r", "requirements.txt"));
            Files.writeString(marker, hash + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PipelineConfig withoutStrongestFeature(PipelineConfig config, boolean champion) {
        if (!champion) {
            throw new BadInputException("--regression needs a champion to regress from: run ./mlops demo first, twice "
                    + "(the first model, then the retraining after drift)");
        }
        if (config.train() == null) {
            throw new BadInputException("--regression changes the train stage, and mlops.yaml has none");
        }
        return config.withTrain(config.train().withArguments(List.of("--drop-feature", STRONGEST_FEATURE)));
    }

    /** The production version, or null before the first model. */
    private static ModelVersion champion(Path project, PipelineConfig config) {
        ModelRegistry registry = ModelRegistries.open(Registries.resolve(config.registry(), project),
                RegistryCredentials.fromEnvironment(System.getenv()), Duration.ofSeconds(30), line -> { });
        try {
            return registry.getByAlias(config.name(), config.champion());
        } catch (ModelNotFoundException e) {
            return null;
        }
    }

    /**
     * data/train.csv and data/holdout.csv, as mlops.yaml reads them. The first batch has the
     * reference's distribution; the drifted one is drawn after the price rise. Each comes with a
     * hold-out batch of later customers from the same world.
     */
    private void generate(Path project, boolean drifted) {
        String python = project.resolve(".venv/bin/python").toString();
        List<String> train = new ArrayList<>(List.of(python, "generate_data.py", "--rows", "5000", "--id-start", "5001",
                "--seed", drifted ? "3" : "2", "--out", "data/train.csv"));
        List<String> holdout = new ArrayList<>(List.of(python, "generate_data.py", "--rows", "5000", "--id-start", "10001",
                "--seed", drifted ? "5" : "4", "--out", "data/holdout.csv"));
        if (drifted) {
            train.add("--drift");
            holdout.add("--drift");
        }
        exec(project, train);
        exec(project, holdout);
        // The traffic shadow and canary replay: hold-out customers as scoring-server requests.
        exec(project, List.of(python, "make_requests.py", "--data", "data/holdout.csv", "--rows", "400",
                "--out", "data/requests.jsonl"));
    }

    private void exec(Path project, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(PIP_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new InfrastructureException(String.join(" ", command) + ": timed out");
            }
            if (process.exitValue() != 0) {
                throw new InfrastructureException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "):\n" + output.strip());
            }
            if (!output.isBlank()) {
                say("      " + output.strip().replace("\n", "\n      "));
            }
        } catch (IOException e) {
            throw new InfrastructureException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted: " + String.join(" ", command), e);
        }
    }

    private void say(String line) {
        if (!quiet) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(line);
            err.flush();
        }
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
