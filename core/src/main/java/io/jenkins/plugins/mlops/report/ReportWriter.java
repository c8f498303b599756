package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a step's report set into a directory: {@code NAME.json} (the result, the verdict that
 * later steps read), {@code NAME-junit.xml}, {@code NAME.html} and the shared stylesheet.
 *
 * <p>A set never mixes runs. A step that starts {@linkplain #discard discards} its previous set,
 * verdict first. The new set is written whole into a hidden staging directory beside it, so that
 * a full disk fails before any file of the set is in place; then the files are moved in, the
 * JSON last. A {@code kill -9} leaves at most this run's HTML and JUnit without its JSON, never
 * one run's file beside another's; the next start clears what it left. Nothing is written
 * unredacted (see {@link Redaction}).
 */
public final class ReportWriter {
    private static final String STAGING_SUFFIX = ".partial";

    private ReportWriter() {}

    /** The files of {@code baseName}'s set, in the order they are moved into place: the JSON last. */
    public static List<Path> files(Path dir, String baseName) {
        return List.of(dir.resolve(baseName + ".html"), dir.resolve(baseName + "-junit.xml"), dir.resolve(baseName + ".json"));
    }

    /**
     * Removes the previous set of {@code baseName} and what an interrupted write left, so that a
     * run that ends in bad input or a crash leaves no verdict behind. The JSON goes first.
     */
    public static void discard(Path dir, String baseName) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("--report " + dir + ": not a directory");
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            deleteSet(dir, baseName);
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "." + baseName + ".*" + STAGING_SUFFIX)) {
                for (Path leftover : leftovers) {
                    deleteTree(leftover);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the previous report of " + baseName + " in " + dir, e);
        }
    }

    /**
     * @param baseName file name stem, e.g. {@code validation} or {@code gate}
     * @param title page title, e.g. "Data validation"
     * @param panels the step's own HTML panels (see {@link HtmlReport#render})
     * @return the path of the JSON result
     */
    public static Path write(Path dir, String baseName, StepResult result, String title, List<String> panels) {
        // The JSON is redacted string by string first: what the patterns catch there is then known
        // to Redaction, which masks it in the rendered HTML and XML without touching their markup.
        String json = Json.writeRedacted(result);
        Map<Path, String> set = new LinkedHashMap<>();
        List<Path> files = files(dir, baseName);
        set.put(files.get(0), Redaction.redactKnown(HtmlReport.render(result, title, panels)));
        set.put(files.get(1), Redaction.redactKnown(JunitXmlWriter.render(result)));
        set.put(files.get(2), json);
        write(dir, baseName, set);
        return files.get(2);
    }

    /** Stages {@code set} (target → content, the verdict last), then moves it into place. */
    static void write(Path dir, String baseName, Map<Path, String> set) {
        Path staging = dir.resolve("." + baseName + "." + UUID.randomUUID() + STAGING_SUFFIX);
        List<Path> placed = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(HtmlReport.STYLESHEET), HtmlReport.stylesheet());
            Files.createDirectory(staging);
            for (Map.Entry<Path, String> file : set.entrySet()) {
                Files.writeString(staging.resolve(file.getKey().getFileName()), file.getValue(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            // Anyone may have written in between; no file of an older set stays beside the new one.
            deleteSet(dir, baseName);
            for (Path target : set.keySet()) {
                AtomicFiles.move(staging.resolve(target.getFileName()), target);
                placed.add(target);
            }
        } catch (IOException | UncheckedIOException e) {
            for (Path file : placed) {
                deleteQuietly(file);
            }
            IOException cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
            throw new UncheckedIOException("cannot write the " + baseName + " report into " + dir + ": " + cause.getMessage(), cause);
        } finally {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                // A leftover staging directory is removed by the next run of the step.
            }
        }
    }

    /** Deletes the set's files, the verdict first, so that no moment shows an old verdict beside new files. */
    private static void deleteSet(Path dir, String baseName) throws IOException {
        List<Path> verdictFirst = new ArrayList<>(files(dir, baseName));
        Collections.reverse(verdictFirst);
        for (Path file : verdictFirst) {
            Files.deleteIfExists(file);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The write's own failure is the one to report.
        }
    }
}
