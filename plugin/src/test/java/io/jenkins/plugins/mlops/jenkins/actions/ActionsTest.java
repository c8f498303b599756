package io.jenkins.plugins.mlops.jenkins.actions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Result;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import io.jenkins.plugins.mlops.registry.ModelNotFoundException;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.net.URL;
import java.time.Duration;
import jenkins.model.Jenkins;
import org.htmlunit.FailingHttpStatusCodeException;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The build-page panels and reports render, and only for those who may read the job; promoting needs Build. */
@WithJenkins
class ActionsTest {
    private JenkinsRule r;
    private WorkflowJob job;
    private FilePath workspace;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "churn");
        workspace = r.jenkins.getWorkspaceFor(job);
        Fixtures.churnData(workspace);
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().toEveryone()
                .grant(Item.READ).onItems(job).to("reader", "builder")
                .grant(Item.BUILD).onItems(job).to("builder"));
    }

    private WorkflowRun build(String script) throws Exception {
        job.setDefinition(new CpsFlowDefinition(script, true));
        return r.assertBuildStatus(Result.SUCCESS, job.scheduleBuild2(0));
    }

    @Test
    void theBuildPageShowsTheSummaryAndTheReportIsCoresPage() throws Exception {
        build("node { validateData data: 'data/current.csv', reference: 'data/reference.csv' }");
        JenkinsRule.WebClient reader = r.createWebClient().login("reader");
        HtmlPage buildPage = reader.goTo("job/churn/1/");
        assertThat(buildPage.asNormalizedText(), containsString("Data validation: PASS"));

        HtmlPage index = reader.goTo("job/churn/1/mlops-validation/");
        assertThat(index.getElementsByTagName("iframe").getLength(), is(1));

        Page report = reader.goTo("job/churn/1/mlops-validation/report", "text/html");
        String html = report.getWebResponse().getContentAsString();
        assertThat(html, containsString("<h1>Data validation"));
        assertThat(html, not(containsString("<script")));

        Page css = reader.goTo("job/churn/1/mlops-validation/mlops-report.css", "text/css");
        assertThat(css.getWebResponse().getContentAsString(), containsString(".badge"));
        Page json = reader.goTo("job/churn/1/mlops-validation/json", "application/json");
        assertThat(json.getWebResponse().getContentAsString(), containsString("\"schema\" : \"mlops.validation/v1\""));
    }

    @Test
    void whoCannotReadTheJobSeesNoReport() throws Exception {
        build("node { validateData data: 'data/current.csv' }");
        JenkinsRule.WebClient stranger = r.createWebClient().login("stranger");
        stranger.assertFails("job/churn/1/mlops-validation/report", 404);
        stranger.assertFails("job/churn/1/mlops-validation/json", 404);
    }

    @Test
    void theTrendShowsThePrimaryMetricAcrossBuilds() throws Exception {
        Fixtures.predictions(workspace.child("preds/baseline.csv"), 0.80, 11);
        Fixtures.predictions(workspace.child("preds/cand.csv"), 0.90, 12);
        String gate = "node { gateModel baseline: 'preds/baseline.csv', candidate: 'preds/cand.csv', id: 'id',"
                + " label: 'churned', prediction: 'pred', metric: 'accuracy' }";
        build(gate);
        build(gate);
        HtmlPage trend = r.createWebClient().login("reader").goTo("job/churn/mlops-gate-trend/");
        assertThat(trend.asXml(), containsString("<svg"));
        assertThat(trend.asNormalizedText(), containsString("accuracy"));
        assertThat(job.getAction(GateTrendAction.class).getTrend().points().size(), is(2));
    }

    @Test
    void promotingNeedsBuildPermissionAPostWithTheCrumbAndNeverWritesAFileRegistryOnTheController() throws Exception {
        String registry = "file:" + workspace.child("registry").getRemote();
        MlopsConfiguration.get().setTrackingUrl(registry);
        build("node { writeFile file: 'model/model.pkl', text: 'weights'\n"
                + "registerModel name: 'churn', model: 'model', gitCommit: 'abc123' }");

        JenkinsRule.WebClient reader = r.createWebClient().login("reader");
        reader.assertFails("job/churn/1/mlops-registration/promote", 405); // GET is refused: @RequirePOST
        assertThat("a reader, with the crumb", promoteStatus(reader, true), is(403));

        JenkinsRule.WebClient builder = r.createWebClient().login("builder");
        // Jenkins logs this one as "No valid crumb was included in the request": the refusal the test wants.
        assertThat("a builder, without the crumb", promoteStatus(builder, false), is(403));

        // A builder with the crumb: a file: registry is refused, as it would be written on the controller's disk.
        assertThat(builder.goTo("job/churn/1/mlops-registration/").getForms().stream()
                .noneMatch(form -> "promote".equals(form.getNameAttribute())), is(true));
        assertThat("a builder, with the crumb, on a file: registry", promoteStatus(builder, true), is(409));
        assertThrows(ModelNotFoundException.class, () -> ModelRegistries.open(registry, RegistryCredentials.NONE,
                Duration.ofSeconds(5), line -> {}).getByAlias("churn", "champion"));
    }

    /** The status of a POST to the registration's promote URL; a success would be a redirect to the report. */
    private int promoteStatus(JenkinsRule.WebClient client, boolean withCrumb) throws Exception {
        WebRequest post = new WebRequest(new URL(r.getURL(), "job/churn/1/mlops-registration/promote?alias=champion"),
                HttpMethod.POST);
        if (withCrumb) {
            client.addCrumb(post);
        }
        try {
            return client.getPage(post).getWebResponse().getStatusCode();
        } catch (FailingHttpStatusCodeException e) {
            return e.getStatusCode();
        }
    }
}
