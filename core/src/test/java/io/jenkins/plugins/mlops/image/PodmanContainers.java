package io.jenkins.plugins.mlops.image;

import io.jenkins.plugins.mlops.TestEnvironment;
import java.util.ArrayList;
import java.util.List;

/** The packaging tests' containers, run by the main code's {@link Podman} with the machine's flags. */
public final class PodmanContainers {
    private PodmanContainers() {}

    /**
     * Starts {@code image} detached on the host network as container {@code name}, the scoring server on {@code port};
     * returns the container id. Remove it by name: a container that failed to start is there too.
     */
    public static String start(String image, String name, int port, String credentials) {
        // Debian's podman 4.3 takes credentials on pull, not on run.
        TestEnvironment.command("podman"); // under CI=true a missing podman fails here, naming it
        List<String> pull = new ArrayList<>(List.of("pull", "--tls-verify=false"));
        if (credentials != null) {
            pull.addAll(List.of("--creds", credentials));
        }
        pull.add(image);
        Podman.run(pull.toArray(String[]::new));
        List<String> arguments = new ArrayList<>(List.of("run", "-d", "--name", name));
        arguments.addAll(Podman.runOptions());
        arguments.addAll(List.of("-e", "UVICORN_PORT=" + port, image));
        String output = Podman.run(arguments.toArray(String[]::new));
        List<String> lines = output.lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    public static String logs(String container) {
        return Podman.run("logs", container);
    }

    /** Removes the container, if there is one by that name or id. */
    public static void remove(String container) {
        Podman.run("rm", "-f", "--ignore", container);
    }

    /** Removes a pulled image, so that repeated runs do not fill the machine's image store. */
    public static void removeImage(String image) {
        Podman.run("rmi", "-f", image);
    }
}
