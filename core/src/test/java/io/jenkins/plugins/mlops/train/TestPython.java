package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.TestEnvironment;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Python the failure scripts run on (the repository's .venv, with numpy), and the
 * scripts and data they train on.
 */
public final class TestPython {
    private TestPython() {}

    public static String python() {
        return TestEnvironment.python().toString();
    }

    /** A script from this package's test resources. */
    public static String script(String name) {
        try {
            return Path.of(TestPython.class.getResource(name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small labelled training set: {@code rows} rows, classes a/b/c in proportion 6:3:1. */
    public static Path trainingCsv(Path dir, int rows) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < rows; i++) {
            String label = i % 10 < 6 ? "a" : i % 10 < 9 ? "b" : "c";
            csv.append(i).append(',').append(i * 0.5).append(',').append(label).append('\n');
        }
        Path file = dir.resolve("train.csv");
        Files.writeString(file, csv);
        return file;
    }
}
