package io.jenkins.plugins.mlops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.revision.DeployParameters;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code deploy} stage of mlops.yaml: the step's parameters, checked when the file is read, naming the line. */
class DeployStageTest {
    private static final String REGISTER = "name: churn\nregister:\n  model: out/model\n";

    @Test
    void deploysTheRegisteredVersionByDefault() {
        PipelineConfig config = PipelineFile.parse(REGISTER + "deploy:\n  virtual-service: churn\n  namespace: models\n"
                + "  candidate-subset: canary\n  ready-timeout: 2m\n", "mlops.yaml");

        DeployParameters parameters = config.deploy().parameters("models:/churn/3").build();
        assertThat(parameters.model()).isEqualTo("models:/churn/3");
        assertThat(parameters.namespace()).isEqualTo("models");
        assertThat(parameters.candidateSubset()).isEqualTo("canary");
        assertThat(parameters.readyTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void badValuesAndAMissingModelAreRefusedWhenTheFileIsRead() {
        assertThatThrownBy(() -> PipelineFile.parse(REGISTER + "deploy:\n  virtual-service: churn\n  image: churn:1\n",
                "mlops.yaml")).isInstanceOf(BadInputException.class).hasMessageContaining("image: 'churn:1'");
        assertThatThrownBy(() -> PipelineFile.parse(REGISTER + "deploy:\n  namespace: models\n", "mlops.yaml"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("virtualService: required");
        assertThatThrownBy(() -> PipelineFile.parse("name: churn\nci:\n  commands:\n    tests: [pytest]\ndeploy:\n"
                + "  virtual-service: churn\n", "mlops.yaml")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("deploy.model");
    }
}
