package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.data.DataProfiling;
import io.jenkins.plugins.mlops.data.Profile;
import io.jenkins.plugins.mlops.io.OutputPaths;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code profile} and {@code infer-schema} share: scan one dataset into a profile, then write something of it. */
abstract class ProfilingCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "PATH", required = true, description = "The dataset: a file or a directory of files; with --engine spark also table:NAME.")
    String data;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Mixin
    EngineOptions engine;

    @Mixin
    DelimiterOption delimiter;

    @Spec
    CommandSpec spec;

    /** Refuses an output that would replace the data or land inside its directory; call before scanning. */
    final void refuseOverwritingData(Path out) {
        OutputPaths.refuseInput("--out", out, "--data", Path.of(data));
    }

    final Profile profileData() {
        return DataProfiling.profile(data, delimiter.value(), engine.settings(), message -> {
            if (!quiet) {
                spec.commandLine().getErr().println(message);
            }
        });
    }

    /** The one line that says what was written, unless {@code --quiet}. */
    final void done(String format, Object... args) {
        if (!quiet) {
            spec.commandLine().getOut().printf(format + "%n", args);
        }
    }
}
