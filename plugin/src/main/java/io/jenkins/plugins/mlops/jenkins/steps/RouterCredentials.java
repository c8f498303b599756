package io.jenkins.plugins.mlops.jenkins.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.jenkins.CredentialItems;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The admin token of a router that runs on its own ({@code router} of shadowDeploy and
 * canaryRollout), from a Secret text credential ({@code routerCredentialsId}): looked up for the
 * build, tracked as used, handed to the engine and masked in the build log, never a step argument.
 */
final class RouterCredentials {
    private RouterCredentials() {}

    /** The token, or null without a credentials id (the engine then says what to give for a router). */
    @CheckForNull
    static String token(@CheckForNull String credentialsId, Run<?, ?> run) throws AbortException {
        if (credentialsId == null || credentialsId.isBlank()) {
            return null;
        }
        StringCredentials found = CredentialsProvider.findCredentialById(credentialsId, StringCredentials.class, run);
        if (found == null) {
            throw new AbortException("mlops: routerCredentialsId '" + credentialsId + "' names no Secret text credential"
                    + " this build can use");
        }
        CredentialsProvider.track(run, found);
        return found.getSecret().getPlainText();
    }

    /** The Secret text credentials the job may use, for the form; only its current value to someone who cannot configure it. */
    static ListBoxModel items(@CheckForNull Item item, String current) {
        return CredentialItems.forJob(item, StringCredentials.class, current);
    }
}
