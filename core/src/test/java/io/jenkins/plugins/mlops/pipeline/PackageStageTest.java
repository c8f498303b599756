package io.jenkins.plugins.mlops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.packaging.PackageParameters;
import org.junit.jupiter.api.Test;

/** The {@code package} stage of mlops.yaml: the step's parameters, checked when the file is read, naming the line. */
class PackageStageTest {
    private static final String REGISTER = "name: churn\nregister:\n  model: out/model\n";

    @Test
    void packagesTheRegisteredVersionByDefault() {
        PipelineConfig config = PipelineFile.parse(REGISTER + "package:\n  image: 127.0.0.1:5000/churn:1\n"
                + "  base: 127.0.0.1:5000/base:1\n  wheel-cache: .cache/wheels\n  port: 9000\n", "mlops.yaml");

        PackageParameters parameters = config.packaging().parameters("models:/churn/3").build();
        assertThat(parameters.model()).isEqualTo("models:/churn/3");
        assertThat(parameters.wheelCache()).isEqualTo(".cache/wheels");
        assertThat(parameters.port()).isEqualTo(9000);
    }

    @Test
    void badValuesAndAMissingModelAreRefusedWhenTheFileIsRead() {
        assertThatThrownBy(() -> PipelineFile.parse(REGISTER + "package:\n  image: churn:1\n  base: 127.0.0.1:5000/b:1\n", "mlops.yaml"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("mlops.yaml line 4")
                .hasMessageContaining("image: 'churn:1' is not an image name");
        assertThatThrownBy(() -> PipelineFile.parse(REGISTER + "package:\n  imgae: 127.0.0.1:5000/churn:1\n", "mlops.yaml"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("line 5")
                .hasMessageContaining("unknown key 'imgae'");
        assertThatThrownBy(() -> PipelineFile.parse("name: churn\nci:\n  commands:\n    tests: [pytest]\npackage:\n  inference-service: i.yaml\n",
                "mlops.yaml")).isInstanceOf(BadInputException.class).hasMessageContaining("package.model");
    }
}
