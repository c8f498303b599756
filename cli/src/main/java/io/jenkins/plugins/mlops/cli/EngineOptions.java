package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.data.EngineSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What computes a profile (DuckDB here, or a Spark Connect server) and DuckDB's resources, shared by the commands that scan data. */
public final class EngineOptions {
    @Option(names = "--memory-limit", paramLabel = "SIZE", defaultValue = "2GB", showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
            description = "Memory DuckDB may use; larger aggregates spill to disk (e.g. 512MB, 4GB).")
    String memoryLimit;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Scan threads; 0 (default) uses every processor.")
    int threads;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = EngineSettings.DUCKDB,
            description = "What computes the profile: duckdb (default) on this machine; arrow, where DuckDB parses and Java "
                    + "aggregates its Arrow batches; or spark on the Spark Connect server at --spark-remote, which reads the data "
                    + "where it lives.")
    String engine;

    @Option(names = "--spark-remote", paramLabel = "URL", description = "The Spark Connect server for --engine spark, e.g. sc://spark-host:15002.")
    String sparkRemote;

    EngineSettings settings() {
        return EngineSettings.of(memoryLimit, threads, engine, sparkRemote);
    }
}
