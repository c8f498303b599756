package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The bad inputs a careless or malicious user gives the data commands, as files in one
 * directory, and the check every table-driven bad-input test makes: the exit code, a message
 * fragment, and that nothing in the directory was written or changed.
 */
final class BadInputFixtures {
    final Path dir;

    BadInputFixtures(Path dir) {
        this.dir = dir;
        try {
            StringBuilder good = new StringBuilder("id,age,plan\n");
            for (int i = 0; i < 60; i++) {
                good.append(i).append(',').append(20 + i % 40).append(',').append(i % 3 == 0 ? "pro" : "basic").append('\n');
            }
            write("good.csv", good.toString());
            write("ragged.csv", "id,age\n1,2\n3,4,5\n");
            write("quote.csv", "id,age\n1,\"2\n3,4\n");
            write("empty.csv", "");
            write("blank.csv", "\n\n   \n\t\n");
            write("header-only.csv", "id,age,plan\n");
            write("semicolon.csv", "id;age;plan\n1;30;pro\n2;40;basic\n");
            write("tabs.csv", "id\tage\tplan\n1\t30\tpro\n2\t40\tbasic\n");
            write("pipes.tsv", "id|age|plan\n1|30|pro\n2|40|basic\n");
            write("repeated.csv", "id,age,ID\n1,30,1\n2,40,2\n");
            write("unnamed.csv", "id,,plan\n1,30,pro\n2,40,basic\n");
            write("scalars.jsonl", "5\n6\n");
            write("array.jsonl", "[{\"id\": 1}, {\"id\": 2}]\n");
            write("scalars.json", "\"just a string\"\n");
            write("malformed.jsonl", "{\"id\": 1}\n{\"id\": 2,\n");
            write("fake.parquet", "id,age\n1,2\n");
            write("sheet.xlsx", "PK");
            write("schema-typo.yaml", "columns:\n  age: {type: integer, minimum: 3}\n");
            write("schema-copy.yaml", "columns:\n  age: {type: integer}\nchecks:\n  - name: exfiltrate\n"
                    + "    sql: COPY (SELECT 42) TO '" + dir.resolve("pwned.csv") + "'\n");
            write("profile.json", "{\"schema\": \"something-else\"}\n");
            Files.createDirectories(dir.resolve("partitions"));
            write("partitions/part-0.csv", good.toString());
            Files.createSymbolicLink(dir.resolve("link-to-good.csv"), dir.resolve("good.csv"));
            write("d1.csv", good.toString());
            try (java.sql.Connection duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                    java.sql.Statement sql = duckdb.createStatement()) {
                sql.execute("COPY (SELECT * FROM read_csv('" + dir.resolve("good.csv") + "')) TO '" + dir.resolve("good.parquet")
                        + "' (FORMAT parquet)");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    String arg(String name) {
        return dir.resolve(name).toString();
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
    }

    /** Runs {@code mlops args} and asserts the exit code, a message fragment on stderr, and an unchanged directory. */
    void assertRejected(List<String> args, int exit, String message) {
        Map<String, String> before = snapshot();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int code = commandLine.execute(args.toArray(String[]::new));

        assertThat(code).as("exit code of %s; stderr: %s", args, err).isEqualTo(exit);
        assertThat(err.toString()).as("stderr of %s", args).contains(message).doesNotContain("\tat ");
        assertThat(snapshot()).as("files after %s", args).isEqualTo(before);
    }

    /** Every file under the directory with a hash of its content (symlinks as their targets). */
    Map<String, String> snapshot() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.toList()) {
                String name = dir.relativize(file).toString();
                if (Files.isSymbolicLink(file)) {
                    files.put(name, "-> " + Files.readSymbolicLink(file));
                } else if (Files.isRegularFile(file)) {
                    files.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
                } else {
                    files.put(name + "/", "dir");
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return files;
    }
}
