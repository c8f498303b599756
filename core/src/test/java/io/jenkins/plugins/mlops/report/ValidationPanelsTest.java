package io.jenkins.plugins.mlops.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.data.DataValidator;
import io.jenkins.plugins.mlops.data.EngineSettings;
import io.jenkins.plugins.mlops.data.ValidationConfig;
import io.jenkins.plugins.mlops.data.ValidationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationPanelsTest {
    @TempDir
    Path dir;

    @Test
    void aColumnThatCouldNotBeTestedShowsItsVerdictAndWhy() throws Exception {
        Path reference = Files.writeString(dir.resolve("a.csv"), "x,y\n1.5,0.2\n2.5,0.3\n3.5,0.3\n4.5,0.5\n");
        Path current = Files.writeString(dir.resolve("b.csv"), "x,y\n1.5,\n2.5,\n3.0,\n4.0,\n");

        ValidationResult result = new DataValidator(message -> { }).validate(
                new ValidationConfig(current.toString(), reference.toString(), null, null, EngineSettings.DEFAULT));
        String html = String.join("\n", ValidationPanels.render(result));

        assertThat(html).contains("<strong>y</strong> <span class=\"badge status-fail\">FAIL</span><br><span class=\"note\">not tested: every value is missing now");
    }
}
