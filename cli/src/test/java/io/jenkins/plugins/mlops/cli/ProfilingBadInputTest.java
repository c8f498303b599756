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

/**
 * {@code mlops profile} and {@code mlops infer-schema} (one reader, one {@code --out}) and bad input:
 * exit 2, a message that names it, no output written and no input replaced. One table, run for each command.
 */
class ProfilingBadInputTest {
    @TempDir
    static Path dir;

    private static BadInputFixtures files;

    static BadInputFixtures files() {
        if (files == null) {
            files = new BadInputFixtures(dir);
        }
        return files;
    }

    /** Each command with the output file it writes. */
    private static final List<List<String>> COMMANDS = List.of(List.of("profile", "profile-out.json"), List.of("infer-schema", "schema-out.yaml"));

    private static Arguments row(String command, String out, String what, String message, String... args) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(args));
        if (!all.contains("--out")) {
            all.addAll(List.of("--out", files().arg(out)));
        }
        return Arguments.of(command + ": " + what, all, message);
    }

    static Stream<Arguments> badInputs() {
        return COMMANDS.stream().flatMap(command -> badInputs(command.get(0), command.get(1)));
    }

    private static Stream<Arguments> badInputs(String command, String out) {
        BadInputFixtures f = files();
        return Stream.of(
                row(command, out, "a missing file", "data file not found", "--data", f.arg("nope.csv")),
                row(command, out, "a name with glob characters that only matches another file", "data file not found", "--data", f.arg("d[1].csv")),
                row(command, out, "a 0-byte file", "the file is empty (0 bytes)", "--data", f.arg("empty.csv")),
                row(command, out, "blank lines only", "nothing but blank lines", "--data", f.arg("blank.csv")),
                row(command, out, "a header only", "no data rows", "--data", f.arg("header-only.csv")),
                row(command, out, "a ragged row", "ragged.csv line 3: ragged row", "--data", f.arg("ragged.csv")),
                row(command, out, "an unterminated quote", "quote.csv line 2", "--data", f.arg("quote.csv")),
                row(command, out, "a semicolon .csv", "pass --delimiter ';'", "--data", f.arg("semicolon.csv")),
                row(command, out, "a tab-delimited .csv", "pass --delimiter '\\t'", "--data", f.arg("tabs.csv")),
                row(command, out, "a repeated header", "repeats column 1", "--data", f.arg("repeated.csv")),
                row(command, out, "an empty header", "header column 2 has no name", "--data", f.arg("unnamed.csv")),
                row(command, out, "JSON lines of scalars", "not JSON records", "--data", f.arg("scalars.jsonl")),
                row(command, out, "a JSON array named .jsonl", "is one JSON array, not JSON lines", "--data", f.arg("array.jsonl")),
                row(command, out, "malformed JSON lines", "malformed JSON", "--data", f.arg("malformed.jsonl")),
                row(command, out, "a CSV named .parquet", "not a Parquet file", "--data", f.arg("fake.parquet")),
                row(command, out, "an unknown extension", "cannot tell the format", "--data", f.arg("sheet.xlsx")),
                row(command, out, "--out is the CSV data", "is the input --data", "--data", f.arg("good.csv"), "--out", f.arg("good.csv")),
                row(command, out, "--out is the Parquet data", "is the input --data", "--data", f.arg("good.parquet"), "--out", f.arg("good.parquet")),
                row(command, out, "--out is a symlink to the data", "the same file after symlinks", "--data", f.arg("good.csv"),
                        "--out", f.arg("link-to-good.csv")),
                row(command, out, "--data is a symlink to --out", "is the input --data", "--data", f.arg("link-to-good.csv"), "--out", f.arg("good.csv")),
                row(command, out, "--out through a .. path", "is the input --data", "--data", f.arg("good.csv"),
                        "--out", f.arg("partitions") + "/../good.csv"),
                row(command, out, "--out inside the dataset", "lies inside --data", "--data", f.arg("partitions"), "--out", f.arg("partitions/" + out)),
                row(command, out, "100,000 threads", "--threads: must be 0 (every processor) to 256", "--data", f.arg("good.csv"), "--threads", "100000"),
                row(command, out, "a memory limit that is not a size", "--memory-limit: 'lots'", "--data", f.arg("good.csv"), "--memory-limit", "lots"),
                row(command, out, "a delimiter of two characters", "--delimiter: ';;'", "--data", f.arg("semicolon.csv"), "--delimiter", ";;"),
                row(command, out, "--engine spark without a server", "--engine spark: give the Spark Connect server", "--data",
                        f.arg("good.csv"), "--engine", "spark"),
                row(command, out, "an unknown engine", "--engine: 'flink' is not an engine", "--data", f.arg("good.csv"), "--engine", "flink"),
                row(command, out, "no --data", "Missing required option: '--data=PATH'"));
    }

    /** The profile is written only once computed: an unreachable Spark server (exit 3) leaves no --out behind. */
    @Test
    void anUnreachableSparkServerExits3AndWritesNoProfile() {
        String remote = "sc://127.0.0.1:" + TestProcesses.freePort(); // nothing listens there
        files().assertRejected(List.of("profile", "--data", files().arg("good.csv"), "--out", files().arg("profile-out.json"),
                "--engine", "spark", "--spark-remote", remote), ExitCodes.INFRASTRUCTURE, "cannot reach the Spark Connect server at " + remote);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void exits2NamingTheProblemAndWritesNothing(String what, List<String> args, String message) {
        files().assertRejected(args, ExitCodes.BAD_INPUT, message);
    }
}
