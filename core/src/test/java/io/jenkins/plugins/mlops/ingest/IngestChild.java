package io.jenkins.plugins.mlops.ingest;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Runs one ingest in a JVM of its own, so that a test can bound its heap and read its peak memory. */
public final class IngestChild {
    private IngestChild() {}

    public static void main(String[] args) {
        IngestParameters parameters = IngestParameters.builder().setAll(Map.of("jdbcUrl", args[0], "query", args[1],
                "output", args[2], "memoryLimit", args[3], "fetchSize", args[4])).build();
        IngestResult result = IngestStep.run(parameters, new Properties(), Path.of("").toAbsolutePath(), line -> { });
        System.out.println("rows=" + result.rows());
    }
}
