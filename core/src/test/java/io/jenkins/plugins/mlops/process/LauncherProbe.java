package io.jenkins.plugins.mlops.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A JVM that runs a long training command through {@link LocalProcessLauncher}, for the test that
 * kills this JVM with SIGKILL and checks that the command does not outlive it. Arguments: the
 * Python and the script to run, then the script's own arguments.
 */
public final class LauncherProbe {
    private LauncherProbe() {}

    public static void main(String[] args) {
        List<String> command = List.of(args);
        new LocalProcessLauncher().run(new ProcessSpec(command, Map.of(), Path.of("").toAbsolutePath(),
                Duration.ofMinutes(10), 1L << 30, Duration.ofSeconds(1)), System.out::println);
    }
}
