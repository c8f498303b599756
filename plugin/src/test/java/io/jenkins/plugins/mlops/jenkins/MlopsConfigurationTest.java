package io.jenkins.plugins.mlops.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.util.Secret;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The global configuration keeps what the form submits, and never a secret. */
@WithJenkins
class MlopsConfigurationTest {

    @Test
    void everyFieldSurvivesTheSystemConfigurationForm(JenkinsRule r) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "mlflow-token", "MLflow", Secret.fromString("s3cr3t-token")));
        MlopsConfiguration config = MlopsConfiguration.get();
        config.setTrackingUrl("https://mlflow.example.com");
        config.setCredentialsId("mlflow-token");
        config.setInsecureTls(true);
        config.setDefaultGpuImage("ghcr.io/acme/train:1.4");
        r.configRoundtrip();
        assertThat(config.getTrackingUrl(), is("https://mlflow.example.com"));
        assertThat(config.getCredentialsId(), is("mlflow-token"));
        assertThat(config.isInsecureTls(), is(true));
        assertThat(config.getDefaultGpuImage(), is("ghcr.io/acme/train:1.4"));
        // only the id is stored: the secret stays in the credentials store
        String stored = r.jenkins.getRootPath().child(MlopsConfiguration.class.getName() + ".xml").readToString();
        assertThat(stored.contains("s3cr3t-token"), is(false));
    }

    @Test
    void theFormRejectsCredentialsInTheUrl(JenkinsRule r) {
        assertThat(MlopsConfiguration.get().doCheckTrackingUrl("https://bob:pw@mlflow.example.com").kind.name(), is("ERROR"));
        assertThat(MlopsConfiguration.get().doCheckTrackingUrl("ftp://mlflow.example.com").kind.name(), is("ERROR"));
        assertThat(MlopsConfiguration.get().doCheckTrackingUrl("file:/var/lib/mlops/registry").kind.name(), is("OK"));
    }

    @Test
    void theCredentialsListOffersOnlyWhatBuildsCanUse(JenkinsRule r) {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "for-builds", "", Secret.fromString("a")));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.SYSTEM,
                "controller-only", "", Secret.fromString("b")));
        List<String> ids = MlopsConfiguration.get().doFillCredentialsIdItems("").stream().map(option -> option.value).toList();
        assertThat(ids, hasItem("for-builds"));
        assertThat(ids, not(hasItem("controller-only")));
    }
}
