package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.pipeline.PipelineConfig;
import io.jenkins.plugins.mlops.pipeline.PipelineFile;
import io.jenkins.plugins.mlops.pipeline.PipelineResult;
import io.jenkins.plugins.mlops.pipeline.PipelineRunner;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.result.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops run}: every stage of {@code mlops.yaml}, in order, stopping at the first failure. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the pipeline of mlops.yaml: validate, smoke-train, train, gate, register, each with the options of its "
                    + "command (one key per option, the same names). Stops at the first stage that fails: a failed gate "
                    + "never reaches registration. When every stage passed, the registered version becomes the champion.",
            "Writes .mlops/runs/<id>/ beside mlops.yaml: every step's JSON, HTML and JUnit XML, pipeline.json and "
                    + "report.html, whose path is the last line printed."
        },
        footerHeading = "%nExit codes:%n",
        footer = {"  0  every stage passed", "  1  a stage failed (a check, the smoke run, training, the gate)",
            "  2  bad input: mlops.yaml (file, line and key named) or a stage's input",
            "  3  infrastructure failure (registry, cluster)"})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MLOPS.yaml", defaultValue = "mlops.yaml",
            description = "The pipeline file (default: mlops.yaml). Paths in it are relative to its directory, where the "
                    + "commands run.")
    Path file;

    @Option(names = "--json", description = "Print pipeline.json to stdout instead of the progress and the report path.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print only the report path (and errors).")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PipelineConfig config = PipelineFile.read(file);
        return run(config, file.toAbsolutePath().getParent(), spec, json, quiet);
    }

    /** Runs a pipeline and reports it: shared with {@code mlops demo}. */
    static int run(PipelineConfig config, Path project, CommandSpec spec, boolean json, boolean quiet) {
        PrintWriter err = spec.commandLine().getErr();
        PipelineRunner runner = new PipelineRunner(project, line -> {
            if (!quiet && !json) {
                err.println(line);
                err.flush();
            }
        }, RegistryCredentials.fromEnvironment(System.getenv()));
        PipelineResult result = runner.run(config);
        PrintWriter out = spec.commandLine().getOut();
        Path report = project.resolve(".mlops/runs").resolve(result.runId()).resolve(PipelineRunner.REPORT);
        if (json) {
            out.print(Json.write(result));
        } else {
            if (!quiet) {
                out.println("pipeline " + result.status() + ": " + result.summary());
            }
            out.println(report);
        }
        out.flush();
        return exitCode(result);
    }

    private static int exitCode(PipelineResult result) {
        String error = result.error();
        if ("bad_input".equals(error)) {
            return ExitCodes.BAD_INPUT;
        }
        if ("infrastructure".equals(error)) {
            return ExitCodes.INFRASTRUCTURE;
        }
        return result.status().isAtLeast(io.jenkins.plugins.mlops.result.Status.FAIL) ? ExitCodes.FAILED : ExitCodes.PASSED;
    }
}
