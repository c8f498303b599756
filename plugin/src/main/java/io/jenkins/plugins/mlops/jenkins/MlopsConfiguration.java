package io.jenkins.plugins.mlops.jenkins;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.security.ACL;
import hudson.slaves.Cloud;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The controller-wide defaults of every mlops step (Manage Jenkins » System » MLOps), also
 * settable through Configuration as Code:
 * <pre>
 * unclassified:
 *   mlops:
 *     trackingUrl: "https://mlflow.example.com"
 *     credentialsId: "mlflow-token"
 *     defaultCloud: "kubernetes"
 *     defaultGpuImage: "ghcr.io/acme/train:1.4"
 *     driftDataRoots: "/data/churn"
 * </pre>
 * The credentials are an id, never a secret, so the configuration file holds no secret.
 */
@Extension
@Symbol("mlops")
public class MlopsConfiguration extends GlobalConfiguration {
    private String trackingUrl;
    private String credentialsId;
    private boolean insecureTls;
    private String defaultCloud;
    private String defaultGpuImage;
    private String driftDataRoots;

    public MlopsConfiguration() {
        load();
    }

    public static MlopsConfiguration get() {
        return ExtensionList.lookupSingleton(MlopsConfiguration.class);
    }

    /** The MLflow tracking server ({@code http(s)://...}) or local registry ({@code file:DIR}); null when unset. */
    @CheckForNull
    public String getTrackingUrl() {
        return trackingUrl;
    }

    @DataBoundSetter
    public void setTrackingUrl(String trackingUrl) {
        this.trackingUrl = Util.fixEmptyAndTrim(trackingUrl);
        save();
    }

    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        save();
    }

    public boolean isInsecureTls() {
        return insecureTls;
    }

    @DataBoundSetter
    public void setInsecureTls(boolean insecureTls) {
        this.insecureTls = insecureTls;
        save();
    }

    @CheckForNull
    public String getDefaultCloud() {
        return defaultCloud;
    }

    @DataBoundSetter
    public void setDefaultCloud(String defaultCloud) {
        this.defaultCloud = Util.fixEmptyAndTrim(defaultCloud);
        save();
    }

    @CheckForNull
    public String getDefaultGpuImage() {
        return defaultGpuImage;
    }

    @DataBoundSetter
    public void setDefaultGpuImage(String defaultGpuImage) {
        this.defaultGpuImage = Util.fixEmptyAndTrim(defaultGpuImage);
        save();
    }

    /** Directories of the controller whose files drift triggers may read, one per line; none: triggers read nothing. */
    @CheckForNull
    public String getDriftDataRoots() {
        return driftDataRoots;
    }

    @DataBoundSetter
    public void setDriftDataRoots(String driftDataRoots) {
        this.driftDataRoots = Util.fixEmptyAndTrim(driftDataRoots);
        save();
    }

    /** {@link #getDriftDataRoots()} as a list of absolute paths. */
    public List<String> driftDataRootList() {
        return driftDataRoots == null ? List.of()
                : driftDataRoots.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    @POST
    public FormValidation doCheckTrackingUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String url = Util.fixEmptyAndTrim(value);
        if (url == null) {
            return FormValidation.ok("Steps then need registry: on each call.");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("file")) {
                return FormValidation.ok();
            }
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return FormValidation.error("Use http(s)://HOST:PORT for an MLflow tracking server or file:DIR for a local registry.");
            }
            if (uri.getUserInfo() != null) {
                return FormValidation.error("Put the user and password in credentials, not in the URL.");
            }
            return FormValidation.ok();
        } catch (URISyntaxException e) {
            return FormValidation.error("Not a URL: " + e.getReason());
        }
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
        StandardListBoxModel items = new StandardListBoxModel();
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return items.includeCurrentValue(credentialsId);
        }
        // Builds read these credentials (CredentialsProvider.findCredentialById with the run), and a
        // build never sees SYSTEM-scoped ones: offering them would only make every build fail.
        return items.includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), StandardCredentials.class, List.of(),
                        CredentialsMatchers.allOf(
                                CredentialsMatchers.not(CredentialsMatchers.withScope(CredentialsScope.SYSTEM)),
                                CredentialsMatchers.anyOf(CredentialsMatchers.instanceOf(StringCredentials.class),
                                        CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class))))
                .includeCurrentValue(credentialsId);
    }

    @POST
    public ListBoxModel doFillDefaultCloudItems() {
        ListBoxModel items = new ListBoxModel();
        items.add("(the kubernetes plugin's first cloud)", "");
        if (Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            for (Cloud cloud : Jenkins.get().clouds) {
                items.add(cloud.getDisplayName(), cloud.name);
            }
        }
        return items;
    }
}
