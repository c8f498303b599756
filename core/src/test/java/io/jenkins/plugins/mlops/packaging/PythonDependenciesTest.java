package io.jenkins.plugins.mlops.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonDependenciesTest {
    @TempDir
    Path model;

    @Test
    void servesWithMlflowSkinnyOfTheModelsMlflowVersion() throws IOException {
        Files.writeString(model.resolve("requirements.txt"), "mlflow==3.17.2  # the saving version\nscikit-learn==1.9.1\n\n");
        assertThat(PythonDependencies.requirements(model)).containsExactly("mlflow-skinny==3.17.2", "scikit-learn==1.9.1");
    }

    @Test
    void addsMlflowSkinnyWhereTheModelDoesNotNameMlflow() throws IOException {
        Files.writeString(model.resolve("requirements.txt"), "numpy==2.4.6\nmlflow-tracing==1.0\n");
        assertThat(PythonDependencies.requirements(model)).containsExactly("numpy==2.4.6", "mlflow-tracing==1.0", "mlflow-skinny");
    }

    @Test
    void refusesPipOptionsAndAModelWithoutRequirements() throws IOException {
        assertThatThrownBy(() -> PythonDependencies.requirements(model)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("has no requirements.txt");
        Files.writeString(model.resolve("requirements.txt"), "--index-url https://elsewhere\nnumpy\n");
        assertThatThrownBy(() -> PythonDependencies.requirements(model)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'--index-url https://elsewhere'");
    }

    @Test
    void offersEveryManylinuxTheBasesGlibcRuns() {
        assertThat(PythonDependencies.platformOptions("3.11", "2.36")).containsSequence("--python-version", "3.11")
                .containsSequence("--abi", "cp311").contains("manylinux_2_36_x86_64", "manylinux_2_17_x86_64", "manylinux_2_5_x86_64",
                        "manylinux2014_x86_64").doesNotContain("manylinux_2_37_x86_64");
        assertThat(PythonDependencies.platformOptions("3.12", null)).contains("manylinux_2_17_x86_64")
                .doesNotContain("manylinux_2_18_x86_64");
    }
}
