package io.jenkins.plugins.mlops.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** {@code .mlops/runs/<id>/}: one directory per run, named so that names sort in time order. */
public final class RunDirectory {
    /** Where the runs of a project live, relative to the project. */
    public static final String RUNS = ".mlops/runs";

    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RunDirectory() {}

    /** Creates a fresh run directory; two runs started in the same second get different names. */
    static Path create(Path project, Instant started) {
        Path runs = project.resolve(RUNS);
        try {
            Files.createDirectories(runs);
            for (int attempt = 0; ; attempt++) {
                String id = ID.format(started) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
                try {
                    return Files.createDirectory(runs.resolve(id));
                } catch (FileAlreadyExistsException e) {
                    if (attempt > 20) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory under " + runs, e);
        }
    }
}
