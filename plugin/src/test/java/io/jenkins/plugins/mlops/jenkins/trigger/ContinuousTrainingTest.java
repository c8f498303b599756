package io.jenkins.plugins.mlops.jenkins.trigger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import hudson.util.Secret;
import io.jenkins.plugins.mlops.data.DataProfiling;
import io.jenkins.plugins.mlops.data.EngineSettings;
import io.jenkins.plugins.mlops.data.ProfileFile;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.htmlunit.FailingHttpStatusCodeException;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Drift starts retraining once per drifted dataset; the webhook starts it only with the job's token. */
@WithJenkins
class ContinuousTrainingTest {
    private static final String ALERT = "{\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
            + "\"labels\":{\"alertname\":\"ChurnModelDrift\",\"severity\":\"page\"}}]}";

    private JenkinsRule r;
    private WorkflowJob job;
    private DriftTrigger trigger;

    @BeforeEach
    void setUp(JenkinsRule rule, @TempDir Path dir) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "retrain");
        job.setDefinition(new CpsFlowDefinition("echo 'retraining'", true));
        Path profile = dir.resolve("reference-profile.json");
        ProfileFile.write(profile, DataProfiling.profile(Fixtures.CHURN_DATA.resolve("reference.csv").toString(),
                EngineSettings.DEFAULT, line -> {}));
        trigger = new DriftTrigger("");
        trigger.setReferenceProfile(profile.toString());
        trigger.setWebhookToken(Secret.fromString("alertmanager-token"));
        job.addTrigger(trigger);
    }

    @Test
    void driftedDataStartsOneBuildAndTheSameDataNoSecond() throws Exception {
        trigger.setData(Fixtures.CHURN_DATA.resolve("drifted.csv").toString());
        trigger.check(job);
        r.waitUntilNoActivity();
        WorkflowRun first = job.getLastBuild();
        assertThat(first.getNumber(), is(1));
        assertThat(first.getCause(DriftCause.class).getShortDescription(), containsString("monthly_charges"));
        trigger.check(job);
        r.waitUntilNoActivity();
        assertThat(job.getLastBuild().getNumber(), is(1));
    }

    @Test
    void dataLikeTheReferenceStartsNothing() throws Exception {
        trigger.setData(Fixtures.CHURN_DATA.resolve("current.csv").toString());
        trigger.check(job);
        r.waitUntilNoActivity();
        assertThat(job.getLastBuild() == null, is(true));
    }

    private Page post(String token, String body) throws Exception {
        WebRequest request = new WebRequest(new URL(r.getURL(), "mlops-webhook/alertmanager"), HttpMethod.POST);
        if (token != null) {
            request.setAdditionalHeader("Authorization", "Bearer " + token);
        }
        request.setRequestBody(body);
        request.setCharset(StandardCharsets.UTF_8);
        return r.createWebClient().getPage(request);
    }

    private int status(String token, String body) throws Exception {
        try {
            return post(token, body).getWebResponse().getStatusCode();
        } catch (FailingHttpStatusCodeException e) {
            return e.getStatusCode();
        }
    }

    @Test
    void theWebhookStartsTheJobForItsTokenOnly() throws Exception {
        assertThat(status(null, ALERT), is(401));
        assertThat(status("wrong-token", ALERT), is(403));
        assertThat(job.getLastBuild() == null, is(true));

        // no crumb: the webhook is excluded from CSRF protection, the token authenticates it
        assertThat(post("alertmanager-token", ALERT).getWebResponse().getContentAsString(), containsString("started 1 build"));
        r.waitUntilNoActivity();
        assertThat(job.getLastBuild().getCause(DriftCause.class).getShortDescription(), containsString("ChurnModelDrift"));
    }

    @Test
    void resolvedAlertsStartNothing() throws Exception {
        String resolved = ALERT.replace("firing", "resolved");
        assertThat(post("alertmanager-token", resolved).getWebResponse().getContentAsString(), containsString("nothing started"));
        assertThat(status("alertmanager-token", "{not json"), is(400));
        r.waitUntilNoActivity();
        assertThat(job.getLastBuild() == null, is(true));
    }
}
