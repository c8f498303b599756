package io.jenkins.plugins.mlops.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Debian's podman as these machines run it: as root, with runc and the cgroupfs manager (crun and
 * the systemd manager fail here), host networking and explicit ulimits. Images come from loopback
 * registries over plain HTTP.
 */
public final class Podman {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private Podman() {}

    /** Whether podman and runc are both installed: podman alone runs nothing here. */
    public static boolean installed() {
        return HostPrograms.onPath("podman").isPresent() && HostPrograms.onPath("runc").isPresent();
    }

    /** {@code podman} with the flags these machines need, before its subcommand. */
    public static List<String> command() {
        return List.of(HostPrograms.require("podman", "podman runc").toString(), "--runtime",
                HostPrograms.require("runc", "runc").toString(), "--cgroup-manager=cgroupfs");
    }

    /**
     * {@code run} options for a scoring-server container: removed when it stops, on the host network,
     * and explicit, modest ulimits: {@code --ulimit host} and podman's defaults ask runc for limits
     * it may not set here ("error setting rlimit type 7: operation not permitted").
     */
    public static List<String> runOptions() {
        return List.of("--network=host", "--tls-verify=false", "--ulimit", "nofile=8192:8192", "--ulimit", "nproc=8192:8192");
    }

    /** Runs podman with the machine's flags; returns its output; a non-zero exit is an InfrastructureException. */
    public static String run(String... arguments) {
        List<String> command = new ArrayList<>(command());
        command.addAll(List.of(arguments));
        return HostCommand.run(command, TIMEOUT);
    }

    /** Imports a root filesystem tarball as an image and pushes it to {@code image} (a loopback registry, plain HTTP). */
    public static void importAndPush(Path rootfs, String image, String credentials) {
        String local = "localhost/mlops-import-" + HexFormat.of().toHexDigits(System.nanoTime());
        run("import", rootfs.toString(), local);
        try {
            List<String> push = new ArrayList<>(List.of("push", "--tls-verify=false"));
            if (credentials != null) {
                push.addAll(List.of("--creds", credentials));
            }
            push.addAll(List.of(local, image));
            run(push.toArray(String[]::new));
        } finally {
            run("rmi", local);
        }
    }
}
