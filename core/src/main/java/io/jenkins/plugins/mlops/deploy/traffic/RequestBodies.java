package io.jenkins.plugins.mlops.deploy.traffic;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.BoundedFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Request bodies to replay: a JSON-lines file, one body per line, every line checked before anything is sent. */
public final class RequestBodies {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A replay file is a sample of traffic, not a data set: refuse what would not fit in memory comfortably. */
    private static final long MAX_BYTES = 256L * 1024 * 1024;

    private RequestBodies() {}

    public static List<String> read(Path file, String option) {
        List<String> bodies = new ArrayList<>();
        try (BufferedReader reader = BoundedFiles.newReader(file, MAX_BYTES,
                option + " takes a sample of traffic, not a data set")) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    JSON.readTree(line);
                } catch (IOException e) {
                    throw new BadInputException(file + ":" + number + ": not a JSON request body: "
                            + e.getMessage().lines().findFirst().orElse(""));
                }
                bodies.add(line);
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(option + ": " + file + " does not exist");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInputException(option + ": " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new BadInputException(option + ": cannot read " + file + ": " + e.getMessage());
        }
        if (bodies.isEmpty()) {
            throw new BadInputException(option + ": " + file + " has no request bodies");
        }
        return List.copyOf(bodies);
    }
}
