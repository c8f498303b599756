package io.jenkins.plugins.mlops.process;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds programs the way a shell would, so a typo in the command is bad input, not a crash of the run. */
public final class Executables {
    private Executables() {}

    /** The program {@code name} on the search path of this process, if installed. */
    public static Optional<Path> onPath(String name) {
        return search(name, System.getenv("PATH"));
    }

    /**
     * Resolves the first word of a user's command: a path (relative to {@code workingDirectory}) or
     * a name on the PATH the child will see.
     */
    public static Path resolve(String program, Path workingDirectory, Map<String, String> environment) {
        if (program.contains(File.separator)) {
            Path path = Path.of(program);
            if (!path.isAbsolute() && workingDirectory != null) {
                path = workingDirectory.resolve(path);
            }
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new BadInputException("command '" + program + "' is not an executable file");
            }
            return path;
        }
        String searchPath = environment.getOrDefault("PATH", System.getenv("PATH"));
        return search(program, searchPath).orElseThrow(() ->
                new BadInputException("command '" + program + "' not found on PATH"));
    }

    private static Optional<Path> search(String name, String searchPath) {
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
