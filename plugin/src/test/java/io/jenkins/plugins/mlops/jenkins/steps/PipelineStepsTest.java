package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import hudson.FilePath;
import hudson.model.Label;
import hudson.model.Result;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import io.jenkins.plugins.mlops.jenkins.actions.GateAction;
import io.jenkins.plugins.mlops.jenkins.actions.RegistrationAction;
import io.jenkins.plugins.mlops.jenkins.actions.SmokeTrainAction;
import io.jenkins.plugins.mlops.jenkins.actions.TrainAction;
import io.jenkins.plugins.mlops.jenkins.actions.ValidationAction;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.AttemptOutcome;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.actions.ArgumentsAction;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.graphanalysis.DepthFirstScanner;
import org.jenkinsci.plugins.workflow.graphanalysis.NodeStepTypePredicate;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Every step in a real Pipeline job, on the churn example's data, in the sandbox as users run them. */
@WithJenkins
class PipelineStepsTest {
    private JenkinsRule r;
    private WorkflowJob job;
    private FilePath workspace;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "churn");
        workspace = r.jenkins.getWorkspaceFor(job);
        Fixtures.churnData(workspace);
    }

    private WorkflowRun run(String script, Result expected) throws Exception {
        job.setDefinition(new CpsFlowDefinition(script, true));
        return r.assertBuildStatus(expected, job.scheduleBuild2(0));
    }

    private FlowNode stepNode(WorkflowRun build, String function) {
        FlowNode node = new DepthFirstScanner().findFirstMatch(build.getExecution(), new NodeStepTypePredicate(function));
        assertThat(function + " ran", node, notNullValue());
        return node;
    }

    @Test
    void validateDataReturnsTheResultAndShowsTheReport() throws Exception {
        WorkflowRun build = run("node { def v = validateData data: 'data/current.csv', reference: 'data/reference.csv'\n"
                + "echo \"rows=${v.row_count} status=${v.status} drift=${v.drift.size()}\" }", Result.SUCCESS);
        r.assertLogContains("rows=5000 status=PASS drift=16", build);
        ValidationAction action = build.getAction(ValidationAction.class);
        assertThat(action.getStatus(), is(Status.PASS));
        assertThat(ArgumentsAction.getStepArgumentsAsString(stepNode(build, "validateData")),
                equalTo("data/current.csv, data/reference.csv"));
    }

    @Test
    void validateDataFailsTheBuildWithTheDriftedColumns() throws Exception {
        WorkflowRun build = run("node { validateData data: 'data/drifted.csv', reference: 'data/reference.csv' }", Result.FAILURE);
        r.assertLogContains("validateData FAIL", build);
        r.assertLogContains("monthly_charges", build);
        assertThat(build.getAction(ValidationAction.class).getStatus(), is(Status.FAIL));
    }

    @Test
    void unstableOnFailureMarksTheBuildAndTheStageButGoesOn() throws Exception {
        WorkflowRun build = run("node { def v = validateData data: 'data/drifted.csv', reference: 'data/reference.csv',"
                + " unstableOnFailure: true\n echo \"went on after ${v.status}\" }", Result.UNSTABLE);
        r.assertLogContains("went on after FAIL", build);
        WarningAction warning = stepNode(build, "validateData").getPersistentAction(WarningAction.class);
        assertThat(warning, notNullValue());
        assertThat(warning.getResult(), is(Result.UNSTABLE));
        assertThat(warning.getMessage(), containsString("monthly_charges"));
    }

    @Test
    void theResultLivesInTheBuildDirectoryAndBuildXmlKeepsOnlyItsHighlights() throws Exception {
        WorkflowRun build = run("node { validateData data: 'data/drifted.csv', reference: 'data/reference.csv', unstableOnFailure: true }",
                Result.UNSTABLE);
        String buildXml = Files.readString(build.getRootDir().toPath().resolve("build.xml"));
        assertThat(buildXml, not(containsString("mlops.validation/v1")));
        assertThat(Files.readString(build.getRootDir().toPath().resolve("mlops/mlops-validation.json")),
                containsString("mlops.validation/v1"));
        build.reload();
        ValidationAction reloaded = build.getAction(ValidationAction.class);
        assertThat(reloaded.getStatus(), is(Status.FAIL));
        assertThat(reloaded.getResult().drift().size(), is(16));
    }

    @Test
    void parallelBranchesGetReportsUnderTheirOwnUrls() throws Exception {
        WorkflowRun build = run("node { parallel a: { validateData data: 'data/current.csv', reference: 'data/reference.csv' },"
                + " b: { validateData data: 'data/current.csv', reference: 'data/reference.csv' },"
                + " c: { validateData data: 'data/current.csv', reference: 'data/reference.csv' } }", Result.SUCCESS);
        List<String> urls = build.getActions(ValidationAction.class).stream().map(ValidationAction::getUrlName).toList();
        assertThat(urls.size(), is(3));
        assertThat(Set.copyOf(urls).size(), is(3));
    }

    @Test
    void badInputFailsEvenWithUnstableOnFailure() throws Exception {
        WorkflowRun build = run("node { validateData data: 'data/missing.csv', unstableOnFailure: true }", Result.FAILURE);
        r.assertLogContains("missing.csv", build);
        assertThat(build.getAction(ValidationAction.class), is((ValidationAction) null));
    }

    @Test
    void reportFilesAreWrittenWhereReportSays() throws Exception {
        run("node { validateData data: 'data/current.csv', reference: 'data/reference.csv', report: 'reports' }", Result.SUCCESS);
        for (String file : new String[] {"validation.json", "validation.html", "validation-junit.xml", "mlops-report.css"}) {
            assertThat(file, workspace.child("reports/" + file).exists(), is(true));
        }
    }

    @Test
    void smokeTrainPassesAScriptThatWritesItsModel() throws Exception {
        WorkflowRun build = run("node { def s = smokeTrain data: 'data/reference.csv', label: 'churned', rows: 50,"
                + " expectOutput: '{out}/model.pkl',"
                + " command: 'sh -c \"test -s {data} && echo epoch {epochs} loss 0.42 && echo trained > {out}/model.pkl\"'\n"
                + "echo \"sample=${s.sample.rows}\" }", Result.SUCCESS);
        r.assertLogContains("sample=50", build);
        r.assertLogContains("epoch 2 loss 0.42", build);
        assertThat(build.getAction(SmokeTrainAction.class).getStatus(), is(Status.PASS));
    }

    @Test
    void smokeTrainNamesTheFailure() throws Exception {
        // The script in a file: inline, sh would stop at the message's unquoted "(" with a syntax error (a CRASH).
        workspace.child("fail.sh").write("echo 'ValueError: shapes (50,15) and (16,) not aligned' >&2\nexit 1\n", "UTF-8");
        WorkflowRun build = run("node { smokeTrain data: 'data/reference.csv', command: 'sh fail.sh' }", Result.FAILURE);
        r.assertLogContains("smokeTrain FAIL", build);
        assertThat(build.getAction(SmokeTrainAction.class).getResult().failure().name(), is("SHAPE_MISMATCH"));
    }

    @Test
    void smokeTrainRunsPerturbedCopiesGivenAsAListOrAsOneString() throws Exception {
        // A loader with a fixed vocabulary: a category it never saw is a KeyError.
        workspace.child("vocabulary.sh").write("if grep -q mlops-unseen-category \"$1\"; then"
                + " echo \"KeyError: 'mlops-unseen-category'\" >&2; exit 1; fi\necho trained\n", "UTF-8");
        WorkflowRun listed = run("node { def s = smokeTrain data: 'data/reference.csv', label: 'churned', rows: 50,"
                + " perturb: ['nan', 'unseen-category'], unstableOnFailure: true, command: 'sh vocabulary.sh {data}'\n"
                + "echo \"nan=${s.perturbations[0].status} unseen=${s.perturbations[1].failure}\" }", Result.UNSTABLE);
        r.assertLogContains("nan=PASS unseen=CRASH", listed);
        assertThat(build(listed).perturbations().get(1).message(), containsString("KeyError: 'mlops-unseen-category'"));

        WorkflowRun string = run("node { smokeTrain data: 'data/reference.csv', rows: 50, perturb: 'unseen-category,empty-column',"
                + " command: 'sh vocabulary.sh {data}' }", Result.FAILURE);
        assertThat(build(string).perturbations().stream().map(p -> p.name()).toList(),
                equalTo(List.of("unseen-category", "empty-column")));
        assertThat(ArgumentsAction.getFilteredArguments(stepNode(string, "smokeTrain")).get("perturb"),
                equalTo("unseen-category,empty-column"));
    }

    private static SmokeTrainResult build(WorkflowRun run) {
        return run.getAction(SmokeTrainAction.class).getResult();
    }

    @Test
    void trainingCommandsRunInTheBuildsEnvironmentOnAnAgent() throws Exception {
        // A tool only withEnv's PATH+TOOL finds, printing a variable only withEnv sets: as sh would see them.
        FilePath tools = new FilePath(r.jenkins.getRootDir()).child("tools/greeter");
        tools.child("greet").write("#!/bin/sh\necho \"greeting: $GREETING\"\n", "UTF-8");
        tools.child("greet").chmod(0755);
        r.createOnlineSlave(Label.get("remote"));
        WorkflowRun build = run("node { stash includes: 'data/reference.csv', name: 'data' }\n"
                + "node('remote') { unstash 'data'\n"
                + "withEnv(['GREETING=hello-from-withEnv', 'PATH+TOOL=" + tools.getRemote() + "']) {\n"
                + "def s = smokeTrain data: 'data/reference.csv', rows: 20, command: 'greet'\n"
                + "def t = trainOnGpu backend: 'local', gpus: 0, command: 'greet'\n"
                + "echo \"smoke: ${s.log_excerpt} train: ${t.log_excerpt}\" } }", Result.SUCCESS);
        // From the results (echoed by the controller): the agent's own lines may reach the log after the build ends.
        r.assertLogContains("smoke: [greeting: hello-from-withEnv] train: [greeting: hello-from-withEnv]", build);
    }

    @Test
    void gateModelPassesABetterCandidateAndFailsAWorseOne() throws Exception {
        Fixtures.predictions(workspace.child("preds/baseline.csv"), 0.80, 11);
        Fixtures.predictions(workspace.child("preds/better.csv"), 0.92, 12);
        Fixtures.predictions(workspace.child("preds/worse.csv"), 0.65, 13);
        String gate = "gateModel baseline: 'preds/baseline.csv', candidate: 'preds/%s.csv', id: 'id', label: 'churned',"
                + " prediction: 'pred', score: 'proba', metric: 'accuracy,roc_auc'";
        WorkflowRun pass = run("node { def g = " + gate.formatted("better") + "\n echo \"decision=${g.decision}\" }", Result.SUCCESS);
        r.assertLogContains("decision=PASS", pass);
        assertThat(pass.getAction(GateAction.class).getPrimary().name(), is("accuracy"));

        WorkflowRun fail = run("node { " + gate.formatted("worse") + " }", Result.FAILURE);
        r.assertLogContains("gateModel FAIL", fail);
        assertThat(fail.getAction(GateAction.class).getResult().decision().name(), is("FAIL"));
    }

    @Test
    void gateModelNeedsExactlyOneBaseline() throws Exception {
        Fixtures.predictions(workspace.child("preds/cand.csv"), 0.9, 1);
        WorkflowRun build = run("node { gateModel candidate: 'preds/cand.csv', label: 'churned', prediction: 'pred' }",
                Result.FAILURE);
        r.assertLogContains("gateModel: give exactly one of --baseline", build);
    }

    @Test
    void registerModelRegistersWithTheGatesLineageInTheConfiguredRegistry() throws Exception {
        MlopsConfiguration.get().setTrackingUrl("file:" + workspace.child("registry").getRemote());
        Fixtures.predictions(workspace.child("preds/baseline.csv"), 0.80, 11);
        Fixtures.predictions(workspace.child("preds/cand.csv"), 0.92, 12);
        WorkflowRun build = run("node { writeFile file: 'out/model/model.pkl', text: 'weights'\n"
                + "gateModel baseline: 'preds/baseline.csv', candidate: 'preds/cand.csv', id: 'id', label: 'churned',"
                + " prediction: 'pred', metric: 'accuracy', report: 'reports'\n"
                + "def reg = registerModel name: 'churn', model: 'out/model', gateReport: 'reports/gate.json', gitCommit: 'abc123'\n"
                + "echo \"version=${reg.version} aliases=${reg.aliases}\" }", Result.SUCCESS);
        r.assertLogContains("version=1 aliases=[staging]", build);
        RegistrationAction registration = build.getAction(RegistrationAction.class);
        // Lineage tags (docs/register.md): the decision, and each gate metric under mlops.gate.<metric>.
        assertThat(registration.getResult().tags().get("mlops.gate_decision"), is("PASS"));
        assertThat(registration.getResult().tags().get("mlops.gate.accuracy"), notNullValue());
    }

    @Test
    void trainOnGpuRunsACommandOnThisAgent() throws Exception {
        WorkflowRun build = run("node { def t = trainOnGpu backend: 'local', gpus: 0, command: 'sh -c \"echo epoch 1 loss 0.3\"'\n"
                + "echo \"outcome=${t.outcome}\" }", Result.SUCCESS);
        r.assertLogContains("outcome=SUCCEEDED", build);
        assertThat(build.getAction(TrainAction.class).getResult().outcome(), is(AttemptOutcome.SUCCEEDED));
    }

    @Test
    void trainOnGpuWithABodyRejectsBadParametersBeforeAskingForAPod() throws Exception {
        WorkflowRun negative = run("trainOnGpu(gpus: 1, image: 'ghcr.io/acme/train:1', retries: -1) { echo 'never' }", Result.FAILURE);
        r.assertLogContains("retries must not be negative", negative);
        WorkflowRun typo = run("trainOnGpu(gpu: 1, image: 'ghcr.io/acme/train:1') { echo 'never' }", Result.FAILURE);
        r.assertLogContains("unknown parameter(s) gpu", typo);
        WorkflowRun noImage = run("trainOnGpu(gpus: 1) { echo 'never' }", Result.FAILURE);
        r.assertLogContains("--image is required", noImage);
        r.assertLogNotContains("never", noImage);
    }

    @Test
    void theBodyFormsPodComesFromCoresGpuPodSpec() throws Exception {
        MlopsConfiguration.get().setDefaultGpuImage("ghcr.io/acme/train:1.4");
        MlopsConfiguration.get().setDefaultCloud("gpu-cluster");
        TrainOnGpuStep step = new TrainOnGpuStep();
        step.setGpus(2);
        step.setGpuType("NVIDIA-A100-SXM4-80GB");
        step.setRetries(2);
        java.util.Map<String, Object> pod = step.podTemplateArguments();
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> template = (java.util.Map<String, Object>) pod.get("podTemplate");
        // Read back as a Pod: the YAML writer of Jenkins' kubernetes-client-api quotes every string, core's does not.
        Pod yaml = Serialization.unmarshal((String) template.get("yaml"), Pod.class);
        Container train = yaml.getSpec().getContainers().get(0);
        assertThat(train.getResources().getLimits().get("nvidia.com/gpu"), is(new Quantity("2")));
        assertThat(yaml.getSpec().getNodeSelector().get("nvidia.com/gpu.product"), is("NVIDIA-A100-SXM4-80GB"));
        assertThat(train.getImage(), is("ghcr.io/acme/train:1.4"));
        assertThat(template.get("cloud"), is("gpu-cluster"));
        assertThat(pod.get("container"), is("train"));
        assertThat(pod.get("retries"), is(2));
    }
}
