package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.mlops.gate.Decision;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import io.jenkins.plugins.mlops.jenkins.actions.GateAction;
import io.jenkins.plugins.mlops.jenkins.actions.ValidationAction;
import io.jenkins.plugins.mlops.result.Status;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** validateData and gateModel as freestyle build steps: configured in the UI, run, and shown on the build. */
@WithJenkins
class FreestyleBuildersTest {

    @Test
    void validateDataBuilderRunsAndFailsOnDrift(JenkinsRule r) throws Exception {
        FreeStyleProject project = r.createFreeStyleProject("churn-data");
        Fixtures.churnData(r.jenkins.getWorkspaceFor(project));
        ValidateDataBuilder builder = new ValidateDataBuilder("data/drifted.csv");
        builder.setReference("data/reference.csv");
        project.getBuildersList().add(builder);
        FreeStyleBuild build = r.assertBuildStatus(Result.FAILURE, project.scheduleBuild2(0));
        assertThat(build.getAction(ValidationAction.class).getStatus(), is(Status.FAIL));

        builder.setUnstableOnFailure(true);
        r.assertBuildStatus(Result.UNSTABLE, project.scheduleBuild2(0));
    }

    /** As a user does it: the job's configure page, its fields typed in and the form submitted, then a build. */
    @Test
    void validateDataTypedIntoTheJobsConfigurePageRunsAsTyped(JenkinsRule r) throws Exception {
        FreeStyleProject project = r.createFreeStyleProject("churn-form");
        FilePath workspace = r.jenkins.getWorkspaceFor(project);
        Fixtures.churnData(workspace);
        project.getBuildersList().add(new ValidateDataBuilder("data/current.csv"));

        HtmlForm form = r.createWebClient().getPage(project, "configure").getFormByName("config");
        // The build step's own fields: the drift trigger's section above it has a "data" field too.
        DomNode step = form.getFirstByXPath("//div[contains(@class, 'jenkins-repeated-chunk__content')]");
        ((HtmlInput) step.querySelector("input[name='_.data']")).setValue("data/drifted.csv");
        ((HtmlInput) step.querySelector("input[name='_.reference']")).setValue("data/reference.csv");
        ((HtmlInput) step.querySelector("input[name='_.report']")).setValue("reports");
        ((HtmlCheckBoxInput) step.querySelector("input[name='_.unstableOnFailure']")).setChecked(true);
        r.submit(form);

        ValidateDataBuilder expected = new ValidateDataBuilder("data/drifted.csv");
        expected.setReference("data/reference.csv");
        expected.setReport("reports");
        expected.setUnstableOnFailure(true);
        r.assertEqualDataBoundBeans(expected, project.getBuildersList().get(ValidateDataBuilder.class));
        FreeStyleBuild build = r.assertBuildStatus(Result.UNSTABLE, project.scheduleBuild2(0));
        assertThat(build.getAction(ValidationAction.class).getStatus(), is(Status.FAIL));
        assertThat(workspace.child("reports/validation.json").exists(), is(true));
    }

    @Test
    void gateModelBuilderDecides(JenkinsRule r) throws Exception {
        FreeStyleProject project = r.createFreeStyleProject("churn-gate");
        FilePath workspace = r.jenkins.getWorkspaceFor(project);
        Fixtures.predictions(workspace.child("baseline.csv"), 0.8, 11);
        Fixtures.predictions(workspace.child("candidate.csv"), 0.92, 12);
        GateModelBuilder builder = new GateModelBuilder("candidate.csv", "churned");
        builder.setPrediction("pred");
        builder.setBaseline("baseline.csv");
        builder.setId("id");
        builder.setMetric("accuracy");
        project.getBuildersList().add(builder);
        FreeStyleBuild build = r.buildAndAssertSuccess(project);
        assertThat(build.getAction(GateAction.class).getResult().decision(), is(Decision.PASS));
    }

    @Test
    void buildersSurviveTheConfigurationForm(JenkinsRule r) throws Exception {
        ValidateDataBuilder validate = new ValidateDataBuilder("data/current.csv");
        validate.setReferenceProfile("profiles/train.json");
        validate.setSchema("schema.yaml");
        validate.setFailOn("warn");
        validate.setMemoryLimit("512MB");
        validate.setThreads(2);
        validate.setReport("reports");
        validate.setUnstableOnFailure(true);
        r.assertEqualDataBoundBeans(validate, r.configRoundtrip(validate));

        GateModelBuilder gate = new GateModelBuilder("cand.parquet", "churned");

        gate.setPrediction("pred");
        gate.setBaselineModel("churn@champion");
        gate.setRegistry("https://mlflow.example.com");
        gate.setScore("proba");
        gate.setTask("classification");
        gate.setMetric("roc_auc,log_loss");
        gate.setConfidence(0.9);
        gate.setResamples(500);
        gate.setSlice("region");
        r.assertEqualDataBoundBeans(gate, r.configRoundtrip(gate));
    }
}
