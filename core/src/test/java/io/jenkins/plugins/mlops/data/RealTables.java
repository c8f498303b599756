package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.mlops.TestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real tables that PyPI packages ship (scikit-learn's breast cancer, statsmodels' macrodata,
 * palmerpenguins, vega_datasets' cars), written by pandas through the test venv's Python
 * ({@code real_tables.py}): nothing is downloaded.
 */
final class RealTables {
    static final List<String> NAMES = List.of("breast_cancer", "macrodata", "penguins", "cars");

    private RealTables() {}

    /** Random halves of {@code table}: {@code out/<seed>/a.csv} and {@code b.csv} for seeds 0 to {@code seeds - 1}. */
    static Path halves(String table, Path out, int seeds) {
        run(out, "halves", table, out.toString(), String.valueOf(seeds));
        return out;
    }

    /** The whole table as pandas writes it: {@code out/table.csv}, {@code table.parquet}, {@code table.jsonl}. */
    static Path formats(String table, Path out) {
        run(out, "formats", table, out.toString());
        return out;
    }

    private static void run(Path out, String... arguments) {
        Path python = TestEnvironment.python("pandas", "pyarrow", "sklearn", "statsmodels", "vega_datasets", "palmerpenguins");
        try {
            Files.createDirectories(out);
            Path script = out.resolve("real_tables.py");
            try (InputStream in = RealTables.class.getResourceAsStream("real_tables.py")) {
                Files.write(script, in.readAllBytes());
            }
            List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
            command.addAll(List.of(arguments));
            Path log = out.resolve("real_tables.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                fail("real_tables.py " + String.join(" ", arguments) + " failed: " + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            fail("cannot run real_tables.py: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
