package io.jenkins.plugins.mlops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.report.PipelineReport.HistoryPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history a report plots: both models of each run, older runs' champion alone, broken runs left out. */
class RunHistoryTest {
    @TempDir
    Path project;

    @Test
    void eachRunGivesItsChampionAndCandidateOnItsOwnRows() throws IOException {
        run("20261201-100000-aaaa", "{\"run_id\": \"20261201-100000-aaaa\", \"comparison\": {\"metric\": \"roc_auc\", "
                + "\"candidate\": 0.86, \"champion\": null, \"champion_version\": null, \"promoted\": true, \"candidate_version\": 1}}");
        run("20261202-100000-bbbb", "{\"run_id\": \"20261202-100000-bbbb\", \"comparison\": {\"metric\": \"roc_auc\", "
                + "\"candidate\": 0.905, \"champion\": 0.876, \"champion_version\": 1, \"promoted\": true, \"candidate_version\": 2}}");
        run("20261203-100000-cccc", "{\"run_id\": \"20261203-100000-cccc\", \"comparison\": {\"metric\": \"roc_auc\", "
                + "\"candidate\": 0.888, \"champion\": 0.905, \"champion_version\": 2, \"promoted\": false, \"candidate_version\": null}}");

        assertThat(RunHistory.read(project, "roc_auc")).containsExactly(
                new HistoryPoint("20261201-100000-aaaa", null, null, 0.86, true, 1),
                new HistoryPoint("20261202-100000-bbbb", 0.876, 1, 0.905, true, 2),
                new HistoryPoint("20261203-100000-cccc", 0.905, 2, 0.888, false, 2));
        assertThat(RunHistory.read(project, "f1")).as("another metric's runs are not mixed in").isEmpty();
    }

    @Test
    void olderRunsShowTheChampionAfterThemAndBrokenRunsAreLeftOut() throws IOException {
        run("20261201-100000-aaaa", "{\"champion\": {\"metric\": \"roc_auc\", \"value\": 0.85, \"version\": 1, \"promoted\": true}}");
        run("20261202-100000-bbbb", "{\"champion\": {\"metric\": \"roc_auc\", \"value\": 0.84, \"version\": 1, \"promoted\": false}}");
        run("20261203-100000-cccc", "{\"comparison\": {\"metric\": \"roc_auc\", \"candidate\": \"high\"}}");
        run("20261204-100000-dddd", "not json");

        List<HistoryPoint> history = RunHistory.read(project, "roc_auc");

        assertThat(history).containsExactly(new HistoryPoint("20261201-100000-aaaa", null, null, 0.85, true, 1),
                new HistoryPoint("20261202-100000-bbbb", 0.84, 1, null, false, 1));
    }

    private void run(String id, String json) throws IOException {
        Path dir = Files.createDirectories(project.resolve(RunDirectory.RUNS).resolve(id));
        Files.writeString(dir.resolve("pipeline.json"), json);
    }
}
