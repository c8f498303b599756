package io.jenkins.plugins.mlops.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import org.junit.jupiter.api.Test;

/** {@code unclassified: mlops: ...} in a JCasC file configures the plugin. */
@WithJenkinsConfiguredWithCode
class MlopsConfigurationAsCodeTest {
    @ConfiguredWithCode("configuration-as-code.yml")
    static JenkinsConfiguredWithCodeRule r;

    @Test
    void configurationAsCodeSetsEveryField() {
        MlopsConfiguration config = MlopsConfiguration.get();
        assertThat(config.getTrackingUrl(), is("https://mlflow.example.com"));
        assertThat(config.getCredentialsId(), is("mlflow-token"));
        assertThat(config.getDefaultCloud(), is("gpu-cluster"));
        assertThat(config.getDefaultGpuImage(), is("ghcr.io/acme/train:1.4"));
    }
}
