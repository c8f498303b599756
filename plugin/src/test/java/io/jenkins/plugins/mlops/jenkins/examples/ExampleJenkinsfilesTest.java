package io.jenkins.plugins.mlops.jenkins.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.jenkinsci.plugins.pipeline.modeldefinition.parser.Converter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.junit.jupiter.api.Test;

/**
 * The example's declarative Jenkinsfiles pass Declarative Pipeline's own validator (what the
 * linter and a build's first seconds check): every step, parameter name and value type against
 * the steps as this plugin declares them.
 */
@WithJenkins
class ExampleJenkinsfilesTest {
    private static final Path CHURN = Path.of("..", "examples", "churn");

    @ParameterizedTest
    @ValueSource(strings = {"Jenkinsfile", "Jenkinsfile.drift"})
    void theExampleIsAValidDeclarativePipeline(String file, JenkinsRule r) throws Exception {
        Converter.scriptToPipelineDef(Files.readString(CHURN.resolve(file)));
    }

    @Test
    void aMistypedStepParameterIsRejected(JenkinsRule r) throws Exception {
        String example = Files.readString(CHURN.resolve("Jenkinsfile"));
        String mistyped = example.replace("validateData data:", "validateData dta:");
        MultipleCompilationErrorsException e = assertThrows(MultipleCompilationErrorsException.class,
                () -> Converter.scriptToPipelineDef(mistyped));
        assertThat(e.getMessage(), containsString("dta"));
    }
}
