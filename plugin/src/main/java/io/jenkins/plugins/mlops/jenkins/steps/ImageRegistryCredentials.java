package io.jenkins.plugins.mlops.jenkins.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.mlops.image.RegistryAuth;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import java.util.List;

/**
 * The image registry's username and password, from a Jenkins credentials id; the password is
 * masked wherever the step prints.
 *
 * @param auth what the engine pushes with
 * @param masker masks the password
 */
record ImageRegistryCredentials(RegistryAuth auth, SecretMasker masker) {

    static ImageRegistryCredentials forRun(@CheckForNull String credentialsId, Run<?, ?> run) throws AbortException {
        if (credentialsId == null || credentialsId.isBlank()) {
            return new ImageRegistryCredentials(RegistryAuth.ANONYMOUS, SecretMasker.NONE);
        }
        StandardUsernamePasswordCredentials found = CredentialsProvider.findCredentialById(credentialsId,
                StandardUsernamePasswordCredentials.class, run);
        if (found == null) {
            throw new AbortException("packageModel: image registry credentials '" + credentialsId
                    + "' not found, or not a username with password");
        }
        CredentialsProvider.track(run, found);
        String password = found.getPassword().getPlainText();
        return new ImageRegistryCredentials(new RegistryAuth(found.getUsername(), password), new SecretMasker(List.of(password)));
    }
}
