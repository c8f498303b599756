package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The step forms' field checks, asked over HTTP as the form asks them while a user types, answer
 * with the parameter catalogue's own message: the one the step fails with when it runs.
 */
@WithJenkins
class FormChecksTest {

    @Test
    void aFieldIsCheckedByTheStepsCatalogue(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient web = r.createWebClient();
        assertThat(check(web, ShadowDeployStep.class, "primary", "churn-champion:8080"),
                containsString("--primary: 'churn-champion:8080' is not a URL like http://host:8080"));
        assertThat(check(web, SmokeTrainStep.class, "timeout", "soon"), containsString("--timeout"));
        assertThat(check(web, TrainOnGpuStep.class, "gpus", "two"), containsString("--gpus: 'two' is not a whole number"));
        assertThat(check(web, GateModelStep.class, "confidence", "high"), containsString("--confidence: 'high' is not a number"));
        assertThat(check(web, SmokeTrainStep.class, "data", ""), containsString("Required: the training data."));
    }

    @Test
    void aGoodValueAndABlankOptionalOnePass(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient web = r.createWebClient();
        assertThat(check(web, ShadowDeployStep.class, "primary", "http://127.0.0.1:5001"), not(containsString("error")));
        assertThat(check(web, SmokeTrainStep.class, "timeout", "90s"), not(containsString("error")));
        assertThat(check(web, SmokeTrainStep.class, "timeout", ""), not(containsString("error")));
        assertThat(check(web, GateModelStep.class, "confidence", "0.9"), not(containsString("error")));
    }

    private static String check(JenkinsRule.WebClient web, Class<?> step, String field, String value) throws Exception {
        String method = "check" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
        return web.goTo("descriptorByName/" + step.getName() + "/" + method + "?value="
                + URLEncoder.encode(value, StandardCharsets.UTF_8), null).getWebResponse().getContentAsString()
                .replace("&#039;", "'");
    }
}
