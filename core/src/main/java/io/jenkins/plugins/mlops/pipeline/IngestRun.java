package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.ingest.IngestResult;
import io.jenkins.plugins.mlops.ingest.IngestStep;
import io.jenkins.plugins.mlops.ingest.WarehouseCredentials;
import io.jenkins.plugins.mlops.result.Status;
import java.util.List;

/**
 * The ingest stage: the warehouse's window into the project's Parquet file before any stage reads
 * it. The warehouse's user and password come from the environment, as for {@code mlops ingest}.
 */
final class IngestRun implements Stage {
    private final IngestStage stage;

    IngestRun(IngestStage stage) {
        this.stage = stage;
    }

    @Override
    public String key() {
        return "ingest";
    }

    @Override
    public String title() {
        return "Data ingestion";
    }

    @Override
    public StageReport run(RunState state) {
        IngestResult result = IngestStep.run(stage.parameters().build(), WarehouseCredentials.fromEnvironment(System.getenv()),
                state.project, state.console);
        return StageReport.of(result, "ingest", List.of(), Status.FAIL);
    }
}
