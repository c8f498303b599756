package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.result.Check;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The profiler's speed-ups must not change one verdict: every check of {@code validate-data}
 * (status and observed value) on every dataset pair of the suite ({@link ProfilerDatasets}) and
 * on the benchmark's own data (bench/validate/make_data.py, CSV and Parquet, with the bench's
 * schema and with an inferred one), against the reference data and against its saved profile,
 * equals what the two-scan profiler gave before issue 10's one-scan work (commit 449faf8),
 * recorded in {@code verdicts-before-one-scan.tsv}. To record it again from a given profiler, run
 * this test with {@code MLOPS_RECORD_VERDICTS=<file>} in the environment: it then writes the file
 * instead of comparing.
 */
class VerdictsUnchangedTest {
    private static final String SNAPSHOT = "verdicts-before-one-scan.tsv";

    @TempDir
    Path dir;

    @Test
    void everyCheckOnEveryDatasetIsWhatTheTwoScanProfilerSaid() throws IOException {
        List<String> lines = new ArrayList<>();
        Stream.concat(ProfilerDatasets.pairs(dir.resolve("suite")), benchPairs(dir.resolve("bench"))).forEach(pair -> {
            Object[] args = pair.get();
            String name = (String) args[0];
            Path reference = (Path) args[1];
            Path current = (Path) args[2];
            Path schema = (Path) args[3];
            Path saved = dir.resolve("profiles").resolve(Integer.toHexString(name.hashCode()) + ".json");
            lines.addAll(verdicts(name + " | reference", new ValidationConfig(current.toString(), reference.toString(), null,
                    schema == null ? null : schema.toString(), EngineSettings.DEFAULT)));
            try {
                Files.createDirectories(saved.getParent());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            ProfileFile.write(saved, DataProfiling.profile(reference.toString(), EngineSettings.DEFAULT, line -> { }));
            lines.addAll(verdicts(name + " | reference profile", new ValidationConfig(current.toString(), null, saved.toString(),
                    schema == null ? null : schema.toString(), EngineSettings.DEFAULT)));
        });

        String record = System.getenv("MLOPS_RECORD_VERDICTS");
        if (record != null && !record.isBlank()) {
            Files.write(Path.of(record), lines, StandardCharsets.UTF_8);
            return;
        }
        List<String> before;
        try (InputStream in = VerdictsUnchangedTest.class.getResourceAsStream(SNAPSHOT)) {
            assertThat(in).as(SNAPSHOT).isNotNull();
            before = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines).hasSizeGreaterThan(1000).containsExactlyElementsOf(before);
    }

    private static List<String> verdicts(String name, ValidationConfig config) {
        ValidationResult result = new DataValidator(line -> { }).validate(config);
        List<String> out = new ArrayList<>();
        out.add(name + "\trows\t" + result.rowCount() + "\t" + result.status());
        for (Check check : result.checks()) {
            out.add(name + "\t" + check.qualifiedName() + "\t" + check.status() + "\t" + check.observed());
        }
        return out;
    }

    /** The benchmark's wide churn table at 40,000 rows, a drifted current file, as CSV and Parquet, with its schema and without. */
    static Stream<Arguments> benchPairs(Path out) {
        Path python = TestEnvironment.python("duckdb");
        Path bench = Path.of(System.getProperty("user.dir")).getParent().resolve("bench/validate");
        List<Arguments> pairs = new ArrayList<>();
        Path schema = out.resolve("schema.yaml");
        run(out, python.toString(), "-c", "import json, sys; sys.path.insert(0, sys.argv[1]); import bench; "
                + "open(sys.argv[2], 'w').write(bench.mlops_schema(json.load(open(bench.CHECKS))))", bench.toString(), schema.toString());
        for (String extension : List.of("csv", "parquet")) {
            Path reference = out.resolve("reference." + extension);
            Path current = out.resolve("current." + extension);
            Path make = bench.resolve("make_data.py");
            run(out, python.toString(), make.toString(), "--rows", "40000", "--seed", "1", "--out", reference.toString());
            run(out, python.toString(), make.toString(), "--rows", "40000", "--seed", "2", "--id-start", "40001", "--drift",
                    "--out", current.toString());
            pairs.add(Arguments.of("bench " + extension + ", its schema", reference, current, schema));
            pairs.add(Arguments.of("bench " + extension + ", inferred schema", reference, current, null));
            pairs.add(Arguments.of("bench " + extension + " against itself", reference, reference, schema));
        }
        return pairs.stream();
    }

    private static void run(Path out, String... command) {
        try {
            Files.createDirectories(out);
            Path log = out.resolve("make_data.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " failed: " + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            fail("cannot run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
