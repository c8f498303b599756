package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.TestProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code mlops validate-data} and the bad input of a tired or hostile user: exit 2, a message that names it, nothing written. */
class ValidateDataBadInputTest {
    @TempDir
    static Path dir;

    private static BadInputFixtures files;

    static BadInputFixtures files() {
        if (files == null) {
            files = new BadInputFixtures(dir);
        }
        return files;
    }

    private static Arguments row(String what, String message, String... args) {
        List<String> all = new ArrayList<>(List.of("validate-data"));
        all.addAll(List.of(args));
        if (!all.contains("--report")) {
            all.addAll(List.of("--report", files().arg("reports")));
        }
        return Arguments.of(what, all, message);
    }

    static Stream<Arguments> badInputs() {
        BadInputFixtures f = files();
        return Stream.of(
                row("a missing file", "data file not found", "--data", f.arg("nope.csv")),
                row("a name with glob characters that only matches another file", "data file not found", "--data", f.arg("d[1].csv")),
                row("a 0-byte file", "the file is empty (0 bytes)", "--data", f.arg("empty.csv")),
                row("blank lines only", "nothing but blank lines", "--data", f.arg("blank.csv")),
                row("a header only", "no data rows", "--data", f.arg("header-only.csv")),
                row("a ragged row", "ragged.csv line 3: ragged row", "--data", f.arg("ragged.csv")),
                row("an unterminated quote", "quote.csv line 2", "--data", f.arg("quote.csv")),
                row("a semicolon .csv", "pass --delimiter ';'", "--data", f.arg("semicolon.csv")),
                row("a tab-delimited .csv", "pass --delimiter '\\t'", "--data", f.arg("tabs.csv")),
                row("a pipe-delimited .tsv", "pass --delimiter '|'", "--data", f.arg("pipes.tsv")),
                row("a repeated header", "header column 3 \"ID\" repeats column 1 \"id\"", "--data", f.arg("repeated.csv")),
                row("an empty header", "header column 2 has no name", "--data", f.arg("unnamed.csv")),
                row("JSON lines of scalars", "not JSON records", "--data", f.arg("scalars.jsonl")),
                row("a JSON array named .jsonl", "is one JSON array, not JSON lines", "--data", f.arg("array.jsonl")),
                row("a .json file of a string", "not JSON records", "--data", f.arg("scalars.json")),
                row("malformed JSON lines", "malformed JSON", "--data", f.arg("malformed.jsonl")),
                row("a CSV named .parquet", "not a Parquet file", "--data", f.arg("fake.parquet")),
                row("an unknown extension", "cannot tell the format", "--data", f.arg("sheet.xlsx")),
                row("a bad reference", "pass --delimiter ';'", "--data", f.arg("good.csv"), "--reference", f.arg("semicolon.csv")),
                row("a schema with a typo", "unknown key 'minimum'", "--data", f.arg("good.csv"), "--schema", f.arg("schema-typo.yaml")),
                row("a custom check that COPYs a file out", "checks.exfiltrate: must be one SELECT statement",
                        "--data", f.arg("good.csv"), "--schema", f.arg("schema-copy.yaml")),
                row("a schema that never ends", "/dev/zero is larger than 16.0 MiB", "--data", f.arg("good.csv"), "--schema", "/dev/zero"),
                row("a reference profile that never ends", "/dev/zero is larger than 64.0 MiB; not an mlops profile",
                        "--data", f.arg("good.csv"), "--reference-profile", "/dev/zero"),
                row("a missing schema", "schema-missing.yaml", "--data", f.arg("good.csv"), "--schema", f.arg("schema-missing.yaml")),
                row("a JSON file that is not a profile", "not an mlops profile", "--data", f.arg("good.csv"),
                        "--reference-profile", f.arg("profile.json")),
                row("two references", "give one reference", "--data", f.arg("good.csv"), "--reference", f.arg("good.csv"),
                        "--reference-profile", f.arg("profile.json")),
                row("100,000 threads", "--threads: must be 0 (every processor) to 256", "--data", f.arg("good.csv"), "--threads", "100000"),
                row("negative threads", "--threads: must be 0", "--data", f.arg("good.csv"), "--threads", "-1"),
                row("threads that are not a number", "--threads", "--data", f.arg("good.csv"), "--threads", "many"),
                row("a memory limit that is not a size", "--memory-limit: 'lots'", "--data", f.arg("good.csv"), "--memory-limit", "lots"),
                row("a delimiter of two characters", "--delimiter: ';;'", "--data", f.arg("semicolon.csv"), "--delimiter", ";;"),
                row("a quote as delimiter", "--delimiter", "--data", f.arg("semicolon.csv"), "--delimiter", "\""),
                row("--engine spark without a server", "--engine spark: give the Spark Connect server with --spark-remote sc://HOST:PORT",
                        "--data", f.arg("good.csv"), "--engine", "spark"),
                row("an unknown engine", "--engine", "--data", f.arg("good.csv"), "--engine", "flink"),
                row("a Spark remote that is a web address", "--spark-remote: 'http://spark:15002' is not a Spark Connect address",
                        "--data", f.arg("good.csv"), "--engine", "spark", "--spark-remote", "http://spark:15002"),
                row("a Spark remote for DuckDB", "--spark-remote: only with --engine spark", "--data", f.arg("good.csv"),
                        "--spark-remote", "sc://spark:15002"),
                row("a missing file on Spark", "data file not found", "--data", f.arg("nope.csv"), "--engine", "spark",
                        "--spark-remote", "sc://127.0.0.1:9"),
                row("an unknown --fail-on", "--fail-on", "--data", f.arg("good.csv"), "--fail-on", "maybe"),
                row("a report directory that is a file", "not a directory", "--data", f.arg("good.csv"), "--report", f.arg("profile.json")),
                row("a report inside the dataset", "lies inside --data", "--data", f.arg("partitions"), "--report", f.arg("partitions")),
                row("no --data", "--data: the dataset to validate is required"),
                row("an unknown option", "Unknown options: '--dta'", "--data", f.arg("good.csv"), "--dta", f.arg("good.csv")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void exits2NamingTheProblemAndWritesNothing(String what, List<String> args, String message) {
        files().assertRejected(args, ExitCodes.BAD_INPUT, message);
    }

    /** Like an unreachable MLflow or warehouse: the infrastructure's failure, exit 3, within the client's few retries. */
    @Test
    void anUnreachableSparkServerExits3NamingItAndWritesNothing() {
        String remote = "sc://127.0.0.1:" + TestProcesses.freePort(); // nothing listens there
        files().assertRejected(List.of("validate-data", "--data", files().arg("good.csv"), "--engine", "spark", "--spark-remote", remote,
                "--report", files().arg("reports")), ExitCodes.INFRASTRUCTURE, "cannot reach the Spark Connect server at " + remote);
    }
}
