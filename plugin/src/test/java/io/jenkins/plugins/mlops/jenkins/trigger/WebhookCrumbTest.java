package io.jenkins.plugins.mlops.jenkins.trigger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.util.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The retraining webhook as Alertmanager calls it: plain HTTP POSTs from the JDK's client (no
 * session, no crumb) to the test Jenkins. The token, a credentials id of the job's drift trigger,
 * is the only authority; the crumb is waived on the webhook's path and nowhere else.
 */
@WithJenkins
class WebhookCrumbTest {
    private static final String ALERT = "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"ChurnDrift\"}}]}";
    private final HttpClient http = HttpClient.newHttpClient();
    private JenkinsRule r;
    private WorkflowJob job;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "retrain");
        job.setDefinition(new CpsFlowDefinition("echo 'retraining'", true));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "alert-token", "Alertmanager", Secret.fromString("s3cret-alert-token")));
        DriftTrigger trigger = new DriftTrigger("");
        trigger.setWebhookCredentialsId("alert-token");
        job.addTrigger(trigger);
    }

    private HttpResponse<String> post(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(r.getURL() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ALERT));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyTheRightTokenStartsABuildWithTheDriftCause() throws Exception {
        assertThat(post("mlops-webhook/alertmanager", null).statusCode(), is(401));
        assertThat(post("mlops-webhook/alertmanager", "Bearer wrong-token").statusCode(), is(403));
        assertThat(post("mlops-webhook/alertmanager", "Basic YWRtaW46YWRtaW4=").statusCode(), is(401));
        r.waitUntilNoActivity();
        assertThat(job.getLastBuild(), nullValue());

        HttpResponse<String> accepted = post("mlops-webhook/alertmanager", "Bearer s3cret-alert-token");
        assertThat(accepted.body(), accepted.statusCode(), is(200));
        assertThat(accepted.body(), containsString("started 1 build"));
        r.waitUntilNoActivity();
        assertThat(job.getLastBuild().getCause(DriftCause.class).getShortDescription(), containsString("ChurnDrift"));
    }

    @Test
    void everyOtherPostStillNeedsTheCrumb() throws Exception {
        HttpResponse<String> build = post("job/retrain/build", null);
        assertThat(build.statusCode(), is(403));
        assertThat(build.body(), containsString("No valid crumb"));
        // The waiver is for the webhook's own path, not for a path that only starts with its name.
        HttpResponse<String> around = post("mlops-webhook/../job/retrain/build", "Bearer s3cret-alert-token");
        assertThat(around.body(), around.statusCode() == 400 || around.statusCode() == 403 || around.statusCode() == 404,
                is(true));
        r.waitUntilNoActivity();
        assertThat(job.getLastBuild(), nullValue());
    }
}
