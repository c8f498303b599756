package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Python the failure scripts run on (the repository's .venv, with numpy). Without it the
 * tests are skipped on a laptop and fail under CI, where a missing environment is a broken build.
 */
final class TestPython {
    private TestPython() {}

    static String python() {
        String configured = System.getProperty("mlops.python");
        boolean present = configured != null && Files.isExecutable(Path.of(configured));
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Python for the training scripts is missing (mlops.python=" + configured + "); run scripts/test.sh");
            }
            assumeTrue(false, "no Python at mlops.python=" + configured);
        }
        return configured;
    }

    /** A script from this package's test resources. */
    static String script(String name) {
        try {
            return Path.of(TestPython.class.getResource(name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small labelled training set: {@code rows} rows, classes a/b/c in proportion 6:3:1. */
    static Path trainingCsv(Path dir, int rows) throws java.io.IOException {
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
