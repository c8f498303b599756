package io.jenkins.plugins.mlops.image;

import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.mlops.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's podman as these machines run it: as root, with runc and the cgroupfs manager (crun and
 * the systemd manager fail here), host networking and explicit ulimits. Images come from loopback
 * registries over plain HTTP.
 */
public final class Podman {
    private Podman() {}

    /** Runs podman with the machine's flags; returns stdout, fails the test with the output on a non-zero exit. */
    public static String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(TestEnvironment.command("podman").toString(), "--runtime", "runc",
                "--cgroup-manager=cgroupfs"));
        command.addAll(List.of(arguments));
        try {
            Path out = Files.createTempFile("podman", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean done = process.waitFor(600, TimeUnit.SECONDS);
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            if (!done || process.exitValue() != 0) {
                process.destroyForcibly();
                fail("podman " + String.join(" ", arguments) + " failed: " + output);
            }
            return output.strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Imports a root filesystem tarball as an image and pushes it to {@code image} (a loopback registry). */
    public static void importAndPush(Path rootfs, String image, String credentials) {
        String local = "localhost/mlops-test-import-" + HexFormat.of().toHexDigits(System.nanoTime());
        run("import", rootfs.toString(), local);
        List<String> push = new ArrayList<>(List.of("push", "--tls-verify=false"));
        if (credentials != null) {
            push.addAll(List.of("--creds", credentials));
        }
        push.addAll(List.of(local, image));
        run(push.toArray(String[]::new));
        run("rmi", local);
    }

    /**
     * Starts {@code image} detached on the host network as container {@code name}, the scoring server on {@code port};
     * returns the container id. Remove it by name: a container that failed to start is there too.
     */
    public static String start(String image, String name, int port, String credentials) {
        // Debian's podman 4.3 takes credentials on pull, not on run.
        List<String> pull = new ArrayList<>(List.of("pull", "--tls-verify=false"));
        if (credentials != null) {
            pull.addAll(List.of("--creds", credentials));
        }
        pull.add(image);
        run(pull.toArray(String[]::new));
        // --ulimit host (and podman's defaults) ask runc for limits it may not set here ("error setting rlimit type 7:
        // operation not permitted" with a hard NOFILE of 20000); explicit, modest ones start.
        List<String> arguments = new ArrayList<>(List.of("run", "-d", "--name", name, "--network=host", "--ulimit", "nofile=8192:8192",
                "--ulimit", "nproc=8192:8192", "-e", "UVICORN_PORT=" + port, image));
        String output = run(arguments.toArray(String[]::new));
        List<String> lines = output.lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    public static String logs(String container) {
        return run("logs", container);
    }

    /** Removes the container, if there is one by that name or id. */
    public static void remove(String container) {
        run("rm", "-f", "--ignore", container);
    }

    /** Removes a pulled image, so that repeated runs do not fill the machine's image store. */
    public static void removeImage(String image) {
        run("rmi", "-f", image);
    }
}
