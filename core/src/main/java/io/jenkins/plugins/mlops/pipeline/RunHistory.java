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
import java.util.Optional;
import java.util.TreeMap;

/**
 * The champion and the candidate of each run of a project, by the primary metric, read from
 * each run's {@code pipeline.json}. Runs without a gate, or whose file is unreadable, are left out: a
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

    private static Optional<HistoryPoint> point(Path file, String metric) {
        try {
            JsonNode run = Json.mapper().readTree(file.toFile());
            String runId = run.path("run_id").asText(file.getParent().getFileName().toString());
            JsonNode comparison = run.path("comparison");
            if (comparison.isObject()) {
                return comparisonPoint(runId, comparison, metric);
            }
            return championPoint(runId, run.path("champion"), metric);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<HistoryPoint> comparisonPoint(String runId, JsonNode comparison, String metric) {
        if (!comparison.path("candidate").isNumber() || !matches(comparison, metric)) {
            return Optional.empty();
        }
        boolean promoted = comparison.path("promoted").asBoolean(false);
        Integer championVersion = integer(comparison.path("champion_version"));
        return Optional.of(new HistoryPoint(runId, number(comparison.path("champion")), championVersion,
                comparison.path("candidate").asDouble(), promoted,
                promoted ? integer(comparison.path("candidate_version")) : championVersion));
    }

    /** A run written before runs recorded both models: the champion after it, which is the candidate if promoted. */
    private static Optional<HistoryPoint> championPoint(String runId, JsonNode champion, String metric) {
        if (!champion.isObject() || !champion.path("value").isNumber() || !matches(champion, metric)) {
            return Optional.empty();
        }
        boolean promoted = champion.path("promoted").asBoolean(false);
        Integer version = integer(champion.path("version"));
        double value = champion.path("value").asDouble();
        return Optional.of(promoted ? new HistoryPoint(runId, null, null, value, true, version)
                : new HistoryPoint(runId, value, version, null, false, version));
    }

    private static boolean matches(JsonNode node, String metric) {
        return metric == null || metric.equals(node.path("metric").asText());
    }

    private static Double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : null;
    }

    private static Integer integer(JsonNode node) {
        return node.isInt() ? node.asInt() : null;
    }
}
