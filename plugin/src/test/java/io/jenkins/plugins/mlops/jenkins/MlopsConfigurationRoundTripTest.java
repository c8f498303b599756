package io.jenkins.plugins.mlops.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.jenkins.plugins.casc.misc.junit.jupiter.AbstractRoundTripTest;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * JCasC's round trip of the global configuration: applied from YAML, exported, the export applied
 * to a fresh Jenkins, and again after a restart: every field comes back as it was written.
 */
@WithJenkins
class MlopsConfigurationRoundTripTest extends AbstractRoundTripTest {
    @Override
    protected String configResource() {
        return "configuration-as-code.yml";
    }

    @Override
    protected void assertConfiguredAsExpected(JenkinsRule r, String configContent) {
        MlopsConfiguration config = MlopsConfiguration.get();
        assertThat(config.getTrackingUrl(), is("https://mlflow.example.com"));
        assertThat(config.getCredentialsId(), is("mlflow-token"));
        assertThat(config.getDefaultCloud(), is("gpu-cluster"));
        assertThat(config.getDefaultGpuImage(), is("ghcr.io/acme/train:1.4"));
        assertThat(config.isInsecureTls(), is(true));
        assertThat(config.getDriftDataRoots(), is("/data/churn"));
    }

    @Override
    protected String stringInLogExpected() {
        return "trackingUrl = https://mlflow.example.com";
    }
}
