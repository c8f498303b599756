package io.jenkins.plugins.mlops;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real tools the tests drive: the test venv's Python (MLflow, scikit-learn, numpy), made by
 * the README's test command, and util-linux commands. A missing tool fails the test with the fix;
 * it never skips, because a skipped real-service test would let a broken setup pass as green.
 */
public final class TestEnvironment {
    private static final String SETUP = "run scripts/test.sh once: it creates .venv from requirements-test.txt";

    private TestEnvironment() {}

    /** The test venv's Python (system property {@code mlops.python}), with the given modules importable. */
    public static Path python(String... modules) {
        String configured = System.getProperty("mlops.python");
        Path python = configured == null ? null : Path.of(configured);
        if (python == null || !Files.isExecutable(python)) {
            fail("no test Python at mlops.python=" + configured + "; " + SETUP);
        }
        String missing = missingModules(python, modules);
        if (!missing.isEmpty()) {
            fail("the test Python " + python + " lacks " + missing + "; " + SETUP);
        }
        return python;
    }

    /** A command from PATH, e.g. util-linux's {@code prlimit} or {@code setsid}. */
    public static Path command(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("'" + name + "' is not on PATH; install it (Debian: util-linux) to run this test");
    }

    /** Debian's Chromium, which the browser tests drive through Playwright (no browser download). */
    public static Path chromium() {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            fail("no browser at " + chromium + "; install Debian's package: apt-get install -y chromium"
                    + " (scripts/test.sh does it)");
        }
        return chromium;
    }

    private static String missingModules(Path python, String... modules) {
        if (modules.length == 0) {
            return "";
        }
        StringBuilder check = new StringBuilder("import importlib.util\nprint(' '.join(m for m in [");
        for (String module : modules) {
            check.append('\'').append(module).append("',");
        }
        check.append("] if importlib.util.find_spec(m) is None))\n");
        try {
            Process process = new ProcessBuilder(python.toString(), "-c", check.toString()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "a working interpreter (" + out + ")";
            }
            return out;
        } catch (IOException e) {
            return "a working interpreter (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "a working interpreter (interrupted)";
        }
    }
}
