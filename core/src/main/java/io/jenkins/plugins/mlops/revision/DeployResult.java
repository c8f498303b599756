package io.jenkins.plugins.mlops.revision;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@code deployModel} ({@code deploy.json}): the envelope, then the candidate as
 * {@code canaryRollout} takes it next.
 *
 * @param mode {@code istio} or {@code kserve}
 * @param image the image by digest the candidate runs, or null on KServe's image-free path
 * @param storageUri the storage URI the KServe predictor serves from, or null
 * @param candidateSubset istio: the subset and version label ({@code --candidate-subset} of canaryRollout)
 * @param workload istio: the candidate's Deployment and Service
 * @param revision kserve: the predictor revision the InferenceService created for the candidate
 * @param rolledBack true when this run removed the candidate ({@code rollback})
 */
public record DeployResult(String schema, String step, Status status, Instant started, double durationS, String summary,
        List<Check> checks, String mode, String namespace, String modelName, int modelVersion, String image,
        String storageUri, String candidateSubset, String workload, String host, String virtualService,
        String destinationRule, String inferenceService, String revision, boolean rolledBack) implements StepResult {

    public static final String SCHEMA = "mlops.deploy/v1";
    public static final String STEP = "deployModel";

    public DeployResult {
        checks = List.copyOf(checks);
    }
}
