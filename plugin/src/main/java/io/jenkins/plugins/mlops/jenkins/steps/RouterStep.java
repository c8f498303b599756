package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A step that runs the router, or drives one that runs on its own ({@code router}): what it takes
 * for the latter besides the router's URL, the Secret text credential with the admin token.
 */
public abstract class RouterStep extends MlopsStep {
    private String routerCredentialsId;

    @CheckForNull
    public String getRouterCredentialsId() {
        return routerCredentialsId;
    }

    /** The Secret text credential that holds the router's admin token. */
    @DataBoundSetter
    public void setRouterCredentialsId(String routerCredentialsId) {
        this.routerCredentialsId = Util.fixEmptyAndTrim(routerCredentialsId);
    }

    /** The admin token for this build, or null without a credentials id. */
    @CheckForNull
    String routerToken(Run<?, ?> run) throws AbortException {
        return RouterCredentials.token(routerCredentialsId, run);
    }

    /** The descriptor of a router step: the form lists the Secret text credentials the job may use. */
    public abstract static class RouterStepDescriptor extends MlopsStepDescriptor {
        @POST
        public ListBoxModel doFillRouterCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String routerCredentialsId) {
            return RouterCredentials.items(item, routerCredentialsId);
        }
    }
}
