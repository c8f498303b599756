package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.data.EngineSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** DuckDB's resources, shared by the commands that scan data. */
public final class EngineOptions {
    @Option(names = "--memory-limit", paramLabel = "SIZE", defaultValue = "2GB", showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
            description = "Memory DuckDB may use; larger aggregates spill to disk (e.g. 512MB, 4GB).")
    String memoryLimit;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Scan threads; 0 (default) uses every processor.")
    int threads;

    EngineSettings settings() {
        return new EngineSettings(memoryLimit, threads);
    }
}
