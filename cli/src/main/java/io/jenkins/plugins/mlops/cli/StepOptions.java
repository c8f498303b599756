package io.jenkins.plugins.mlops.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every step command shares. */
public final class StepOptions {
    @Option(names = "--report", paramLabel = "DIR",
            description = "Write the step's JSON, JUnit XML and HTML report into DIR.")
    Path reportDir;

    @Option(names = "--json", description = "Print the result JSON to stdout instead of the summary.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors; the exit code tells the outcome.")
    boolean quiet;
}
