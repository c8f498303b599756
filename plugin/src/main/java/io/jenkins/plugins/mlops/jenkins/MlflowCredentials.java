package io.jenkins.plugins.mlops.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The MLflow credentials of the global configuration, resolved for one build: a Secret text is a
 * token (Bearer), a username with password is Basic auth, as MLflow's own clients read
 * {@code MLFLOW_TRACKING_TOKEN} and {@code MLFLOW_TRACKING_USERNAME/PASSWORD}.
 *
 * @param credentials what the registry adapter authenticates with
 * @param masker masks the secret values wherever the step prints
 */
public record MlflowCredentials(RegistryCredentials credentials, SecretMasker masker) {
    public static final MlflowCredentials NONE = new MlflowCredentials(RegistryCredentials.NONE, SecretMasker.NONE);

    /**
     * @param credentialsId the id from the global configuration, or null for none
     * @throws AbortException when the id names no usable credentials, so the build says which id is wrong
     */
    public static MlflowCredentials forRun(String credentialsId, boolean insecureTls, Run<?, ?> run) throws AbortException {
        if (credentialsId == null || credentialsId.isBlank()) {
            return NONE;
        }
        StandardCredentials found = CredentialsProvider.findCredentialById(credentialsId, StandardCredentials.class, run);
        if (found == null) {
            throw new AbortException("mlops: MLflow credentials '" + credentialsId + "' not found (Manage Jenkins » System » MLOps)");
        }
        CredentialsProvider.track(run, found);
        if (found instanceof StringCredentials token) {
            String value = token.getSecret().getPlainText();
            return new MlflowCredentials(new RegistryCredentials(value, null, null, insecureTls), new SecretMasker(List.of(value)));
        }
        if (found instanceof StandardUsernamePasswordCredentials user) {
            String password = user.getPassword().getPlainText();
            return new MlflowCredentials(new RegistryCredentials(null, user.getUsername(), password, insecureTls),
                    new SecretMasker(List.of(password)));
        }
        throw new AbortException("mlops: credentials '" + credentialsId + "' are neither Secret text nor username with password");
    }
}
