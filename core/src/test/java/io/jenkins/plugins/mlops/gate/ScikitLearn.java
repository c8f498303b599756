package io.jenkins.plugins.mlops.gate;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real scikit-learn (the test venv's Python, system property {@code mlops.python}) on
 * case files and returns its values. Without that Python the tests skip, except under CI where
 * a missing reference is a failure.
 */
final class ScikitLearn {
    private ScikitLearn() {}

    static Path python() {
        return TestEnvironment.python("sklearn", "numpy");
    }

    static JsonNode reference(Path work, List<Path> cases) throws IOException, InterruptedException {
        Path script = work.resolve("sklearn_reference.py");
        try (InputStream in = ScikitLearn.class.getResourceAsStream("sklearn_reference.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of(python().toString(), script.toString()));
        cases.forEach(c -> command.add(c.toString()));
        Path errors = work.resolve("sklearn_reference.err");
        // stderr goes to a file so that a chatty stderr cannot block the process while stdout is read.
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("scikit-learn reference failed: " + Files.readString(errors, StandardCharsets.UTF_8));
        }
        return Json.mapper().readTree(out);
    }
}
