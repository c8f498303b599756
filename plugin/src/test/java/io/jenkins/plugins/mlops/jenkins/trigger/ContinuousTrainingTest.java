package io.jenkins.plugins.mlops.jenkins.trigger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.util.Secret;
import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.data.DataProfiling;
import io.jenkins.plugins.mlops.data.EngineSettings;
import io.jenkins.plugins.mlops.data.ProfileFile;
import io.jenkins.plugins.mlops.data.SparkConnectServer;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.htmlunit.FailingHttpStatusCodeException;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
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
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "alert-token", "Alertmanager", Secret.fromString("alertmanager-token")));
        MlopsConfiguration.get().setDriftDataRoots(Fixtures.CHURN_DATA + "\n" + dir);
        trigger = new DriftTrigger("");
        trigger.setReferenceProfile(profile.toString());
        trigger.setWebhookCredentialsId("alert-token");
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
    void dataOutsideTheApprovedRootsIsNotRead() throws Exception {
        // The profile's directory is approved, the example's data is not any more.
        MlopsConfiguration.get().setDriftDataRoots(Path.of(trigger.getReferenceProfile()).getParent().toString());
        trigger.setData(Fixtures.CHURN_DATA.resolve("drifted.csv").toString());
        trigger.check(job);
        r.waitUntilNoActivity();
        assertThat(job.getLastBuild() == null, is(true));
        // nor through a link inside an approved root
        Path link = Files.createSymbolicLink(Path.of(trigger.getReferenceProfile()).resolveSibling("drifted.csv"),
                Fixtures.CHURN_DATA.resolve("drifted.csv"));
        trigger.setData(link.toString());
        trigger.check(job);
        r.waitUntilNoActivity();
        assertThat(job.getLastBuild() == null, is(true));
    }

    @Test
    void aJenkinsfileSetsTheWebhookCredentialsAndEveryBuildKeepsThem() throws Exception {
        WorkflowJob pipeline = r.createProject(WorkflowJob.class, "declared");
        pipeline.setDefinition(new CpsFlowDefinition(
                "properties([pipelineTriggers([mlopsDrift(spec: '', webhookCredentialsId: 'pipeline-token')])])", true));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "pipeline-token", "", Secret.fromString("pipeline-secret")));
        r.buildAndAssertSuccess(pipeline);
        r.buildAndAssertSuccess(pipeline); // properties([...]) rewrites the triggers at every build
        assertThat(post("pipeline-secret", ALERT).getWebResponse().getContentAsString(), containsString("started 1 build"));
        r.waitUntilNoActivity();
        assertThat(pipeline.getLastBuild().getCause(DriftCause.class).getShortDescription(), containsString("ChurnModelDrift"));
    }

    @Test
    void scansQueueOnTheirOwnBoundedExecutor() throws Exception {
        DriftScans scans = new DriftScans(1, 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        String[] thread = new String[1];
        assertThat(scans.submit(() -> {
            thread[0] = Thread.currentThread().getName();
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), is(true));
        running.await();
        assertThat(scans.submit(() -> {}), is(true)); // queued
        assertThat(scans.submit(() -> {}), is(false)); // beyond the queue: refused, not piled up
        release.countDown();
        assertThat(thread[0], containsString("mlops drift scan"));
    }

    /**
     * The trigger on Spark (a real Spark Connect server; the test controller has the add-opens the
     * client needs) starts a build for the drifted batch naming DuckDB's columns, and none for the
     * batch like the reference; a Spark server that is not there starts nothing.
     */
    @Test
    void onSparkTheDriftedBatchStartsABuildNamingDuckDbsColumns() throws Exception {
        trigger.setData(Fixtures.CHURN_DATA.resolve("drifted.csv").toString());
        WorkflowJob onSpark = r.createProject(WorkflowJob.class, "retrain-on-spark");
        onSpark.setDefinition(new CpsFlowDefinition("echo 'retraining'", true));
        DriftTrigger spark = new DriftTrigger("");
        spark.setReferenceProfile(trigger.getReferenceProfile());
        spark.setEngine("spark");
        spark.setSparkRemote("sc://127.0.0.1:" + TestProcesses.freePort()); // nothing listens there
        onSpark.addTrigger(spark);

        spark.setData(Fixtures.CHURN_DATA.resolve("drifted.csv").toString());
        spark.check(onSpark);
        r.waitUntilNoActivity();
        assertThat("an unreachable server starts nothing", onSpark.getLastBuild() == null, is(true));

        spark.setSparkRemote(SparkConnectServer.shared().remote());
        spark.setData(Fixtures.CHURN_DATA.resolve("current.csv").toString());
        spark.check(onSpark);
        r.waitUntilNoActivity();
        assertThat("data like the reference starts nothing", onSpark.getLastBuild() == null, is(true));

        spark.setData(Fixtures.CHURN_DATA.resolve("drifted.csv").toString());
        spark.check(onSpark);
        trigger.check(job);
        r.waitUntilNoActivity();
        assertThat(onSpark.getLastBuild().getNumber(), is(1));
        String onDuckDb = job.getLastBuild().getCause(DriftCause.class).getShortDescription();
        assertThat(onDuckDb, containsString("monthly_charges"));
        assertThat(onSpark.getLastBuild().getCause(DriftCause.class).getShortDescription(), is(onDuckDb));
    }

    @Test
    void theEngineAndTheSparkServerSurviveTheConfigurationForm() throws Exception {
        trigger.setEngine("spark");
        trigger.setSparkRemote("sc://spark-host:15002");
        r.configRoundtrip(job);
        DriftTrigger saved = (DriftTrigger) job.getTriggers().values().iterator().next();
        assertThat(saved.getEngine(), is("spark"));
        assertThat(saved.getSparkRemote(), is("sc://spark-host:15002"));
        assertThat(saved.getReferenceProfile(), is(trigger.getReferenceProfile()));
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
