package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.mlops.jenkins.MlflowCredentials;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;

/**
 * The registry a step talks to: its own {@code registry:} parameter, else the global MLflow
 * tracking URL; the global credentials go with the global URL only, so a step that names another
 * server does not send it this server's token.
 *
 * @param uri the registry URI
 * @param credentials how to authenticate, and what to mask
 */
record RegistryAccess(String uri, MlflowCredentials credentials) {

    static RegistryAccess forStep(@CheckForNull String stepRegistry, Run<?, ?> run, String stepName) throws AbortException {
        MlopsConfiguration config = MlopsConfiguration.get();
        String global = config.getTrackingUrl();
        String uri = Util.fixEmptyAndTrim(stepRegistry) != null ? stepRegistry.trim() : global;
        if (uri == null) {
            throw new AbortException(stepName + ": no registry: pass registry: 'https://mlflow...' (or 'file:DIR'), or set"
                    + " the MLflow tracking URL in Manage Jenkins » System » MLOps");
        }
        MlflowCredentials credentials = uri.equals(global)
                ? MlflowCredentials.forRun(config.getCredentialsId(), config.isInsecureTls(), run)
                : MlflowCredentials.NONE;
        return new RegistryAccess(uri, credentials);
    }
}
