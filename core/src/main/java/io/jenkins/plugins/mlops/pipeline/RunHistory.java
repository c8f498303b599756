package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.report.PipelineReport.HistoryPoint;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The champion's primary metric across the runs of a project, read from each run's
 * {@code pipeline.json}. Runs without a gate, or whose file is unreadable, are left out: a
 * history with a gap beats a report that cannot be written.
 */
final class RunHistory {
    /** Enough points to see a trend; a page with thousands of runs would not read better. */
    static final int MAX_POINTS = 50;

    private RunHistory() {}

    static List<HistoryPoint> read(Path project, String metric) {
        TreeMap<String, HistoryPoint> points = new TreeMap<>();
        Path runs = project.resolve(RunDirectory.RUNS);
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs)) {
            for (Path dir : dirs) {
                Path file = dir.resolve("pipeline.json");
                if (Files.isRegularFile(file)) {
                    point(file, metric).ifPresent(point -> points.put(point.runId(), point));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        List<HistoryPoint> all = new ArrayList<>(points.values());
        return List.copyOf(all.subList(Math.max(0, all.size() - MAX_POINTS), all.size()));
    }

    private static java.util.Optional<HistoryPoint> point(Path file, String metric) {
        try {
            JsonNode run = Json.mapper().readTree(file.toFile());
            JsonNode champion = run.path("champion");
            if (!champion.isObject() || !champion.path("value").isNumber()
                    || (metric != null && !metric.equals(champion.path("metric").asText()))) {
                return java.util.Optional.empty();
            }
            Integer version = champion.path("version").isInt() ? champion.path("version").asInt() : null;
            return java.util.Optional.of(new HistoryPoint(run.path("run_id").asText(file.getParent().getFileName().toString()),
                    champion.path("value").asDouble(), version, champion.path("promoted").asBoolean(false)));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
