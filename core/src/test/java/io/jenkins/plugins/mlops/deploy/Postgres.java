package io.jenkins.plugins.mlops.deploy;

import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.mlops.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL from Debian's packages for tests: its own cluster in a temporary directory,
 * trust authentication on 127.0.0.1 and a free port. PostgreSQL refuses to run as root, so under
 * root every command runs as the {@code postgres} user through {@code runuser}.
 */
public final class Postgres implements AutoCloseable {
    private static final String USER = "mlops";

    private final Path bin;
    private final Path dir;
    private final int port;

    private Postgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    public static Postgres start() {
        Path bin = binDirectory();
        try {
            Path dir = Files.createTempDirectory("mlops-postgres-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Postgres postgres = new Postgres(bin, dir, ModelServer.freePort());
            if (isRoot()) {
                run(List.of("chown", "postgres", dir.toString()));
            }
            postgres.asOwner(List.of(bin.resolve("initdb").toString(), "-D", postgres.data().toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--no-sync"));
            postgres.startServer();
            return postgres;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL for the superuser the cluster was created with. */
    public String jdbcUrl() {
        return jdbcUrl(USER);
    }

    /** The URL for another role (trust authentication: no password). */
    public String jdbcUrl(String user) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + user;
    }

    /**
     * Makes {@code role} log in with its password (SCRAM) on 127.0.0.1 while every other role stays
     * on trust: the line goes before initdb's trust lines, since the first matching line decides.
     */
    public void requirePassword(String role) {
        Path hba = data().resolve("pg_hba.conf");
        try {
            Files.writeString(hba, "host all " + role + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // A restart, not a reload: pg_ctl reload returns before the server has read the file.
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"));
        startServer();
    }

    /** Starts the stopped server again on the same port with the same data. */
    public void startServer() {
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off", "-w", "-t", "60", "start"));
    }

    /** Stops the server at once ({@code -m immediate}), as a crash or an outage would. */
    public void stopServer() {
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"));
    }

    @Override
    public void close() {
        try {
            asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"));
        } catch (AssertionError e) {
            // Already stopped.
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is not worth failing a test for.
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void asOwner(List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of(TestEnvironment.command("runuser").toString(), "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            fail("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binDirectory() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.naturalOrder()).orElseThrow();
        } catch (Exception e) {
            return fail("PostgreSQL is not installed (Debian: apt-get install postgresql); scripts/test.sh installs it");
        }
    }
}
