package io.jenkins.plugins.mlops.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code mlops profile} and bad input: exit 2, a message that names it, no output written and no input replaced. */
class ProfileBadInputTest {
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
        List<String> all = new ArrayList<>(List.of("profile"));
        all.addAll(List.of(args));
        if (!all.contains("--out")) {
            all.addAll(List.of("--out", files().arg("profile-out.json")));
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
                row("a repeated header", "repeats column 1", "--data", f.arg("repeated.csv")),
                row("an empty header", "header column 2 has no name", "--data", f.arg("unnamed.csv")),
                row("JSON lines of scalars", "not JSON records", "--data", f.arg("scalars.jsonl")),
                row("a JSON array named .jsonl", "is one JSON array, not JSON lines", "--data", f.arg("array.jsonl")),
                row("malformed JSON lines", "malformed JSON", "--data", f.arg("malformed.jsonl")),
                row("a CSV named .parquet", "not a Parquet file", "--data", f.arg("fake.parquet")),
                row("an unknown extension", "cannot tell the format", "--data", f.arg("sheet.xlsx")),
                row("--out is the CSV data", "is the input --data", "--data", f.arg("good.csv"), "--out", f.arg("good.csv")),
                row("--out is the Parquet data", "is the input --data", "--data", f.arg("good.parquet"), "--out", f.arg("good.parquet")),
                row("--out is a symlink to the data", "the same file after symlinks", "--data", f.arg("good.csv"),
                        "--out", f.arg("link-to-good.csv")),
                row("--data is a symlink to --out", "is the input --data", "--data", f.arg("link-to-good.csv"), "--out", f.arg("good.csv")),
                row("--out through a .. path", "is the input --data", "--data", f.arg("good.csv"),
                        "--out", f.arg("partitions") + "/../good.csv"),
                row("--out inside the dataset", "lies inside --data", "--data", f.arg("partitions"), "--out", f.arg("partitions/profile-out.json")),
                row("100,000 threads", "--threads: must be 0 (every processor) to 256", "--data", f.arg("good.csv"), "--threads", "100000"),
                row("a memory limit that is not a size", "--memory-limit: 'lots'", "--data", f.arg("good.csv"), "--memory-limit", "lots"),
                row("a delimiter of two characters", "--delimiter: ';;'", "--data", f.arg("semicolon.csv"), "--delimiter", ";;"),
                row("no --data", "Missing required option: '--data=PATH'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void exits2NamingTheProblemAndWritesNothing(String what, List<String> args, String message) {
        files().assertRejected(args, ExitCodes.BAD_INPUT, message);
    }
}
