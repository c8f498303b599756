package io.jenkins.plugins.mlops.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a command from writing over what it reads: an output that is an input (the same file
 * after symlinks and hard links) or lies inside an input dataset's directory is bad input,
 * refused before anything is written. {@code profile --data train.csv --out train.csv} would
 * otherwise replace the user's data with its profile.
 */
public final class OutputPaths {
    private OutputPaths() {}

    /**
     * @param outputOption how the user named the output, e.g. {@code --out}
     * @param inputOption how the user named the input, e.g. {@code --data}
     */
    public static void refuseInput(String outputOption, Path output, String inputOption, Path input) {
        if (!Files.exists(input)) {
            return;
        }
        try {
            if (Files.isDirectory(input)) {
                Path dir = input.toRealPath();
                if (resolved(output).startsWith(dir)) {
                    throw new BadInputException(outputOption + " " + output + ": lies inside " + inputOption + " " + input
                            + "; write it outside the data, or it becomes part of the dataset");
                }
            } else if (Files.exists(output) ? Files.isSameFile(output, input) : resolved(output).equals(input.toRealPath())) {
                throw new BadInputException(outputOption + " " + output + ": is the input " + inputOption + " " + input
                        + " (the same file after symlinks); refusing to overwrite it, choose another path");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + output, e);
        }
    }

    /** The real path of a file that may not exist yet: its nearest existing ancestor resolved, then the rest. */
    static Path resolved(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        return existing.toRealPath().resolve(existing.relativize(absolute));
    }
}
