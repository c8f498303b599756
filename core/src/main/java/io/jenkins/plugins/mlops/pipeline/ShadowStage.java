package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.deploy.log.PayloadMode;
import io.jenkins.plugins.mlops.deploy.shadow.CompareMode;
import java.io.Serializable;

/**
 * The {@code shadow} stage: the options of {@code mlops shadow}. Without {@code primary} and
 * {@code shadow} the pipeline serves the champion and the candidate itself with {@code serve}.
 */
public record ShadowStage(String primary, String shadow, String listen, Long requests, String duration, String log,
        PayloadMode payload, String replay, String replayPath, CompareMode compare, Double tolerance,
        Double maxDisagreement, Double maxShadowErrorRate, Double maxLatencyRatio, Integer mirrorQueue,
        String mirrorTimeout) implements Serializable {

    public ShadowStage {
        listen = Keys.orDefault(listen, "127.0.0.1:0");
        log = Keys.orDefault(log, "jdbc:sqlite:{run}/predictions.db");
        replayPath = Keys.orDefault(replayPath, "/invocations");
        tolerance = tolerance == null ? 1e-6 : tolerance;
        maxDisagreement = maxDisagreement == null ? 0.05 : maxDisagreement;
        maxShadowErrorRate = maxShadowErrorRate == null ? 0.01 : maxShadowErrorRate;
        maxLatencyRatio = maxLatencyRatio == null ? 1.5 : maxLatencyRatio;
        mirrorQueue = mirrorQueue == null ? 1024 : mirrorQueue;
        mirrorTimeout = Keys.orDefault(mirrorTimeout, "10s");
        if ((primary == null) != (shadow == null)) {
            throw Keys.invalid("shadow.primary", "give both primary and shadow URLs, or neither (the pipeline serves both)");
        }
    }
}
