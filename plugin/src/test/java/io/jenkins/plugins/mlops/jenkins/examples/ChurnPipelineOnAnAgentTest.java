package io.jenkins.plugins.mlops.jenkins.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.fail;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.BooleanParameterDefinition;
import hudson.model.BooleanParameterValue;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Label;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Result;
import hudson.model.StringParameterDefinition;
import hudson.model.StringParameterValue;
import hudson.model.TaskListener;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.mlops.gate.Decision;
import io.jenkins.plugins.mlops.jenkins.actions.CanaryAction;
import io.jenkins.plugins.mlops.jenkins.actions.GateAction;
import io.jenkins.plugins.mlops.jenkins.actions.RegistrationAction;
import io.jenkins.plugins.mlops.jenkins.actions.ShadowAction;
import io.jenkins.plugins.mlops.jenkins.actions.SmokeTrainAction;
import io.jenkins.plugins.mlops.jenkins.actions.StepResultAction;
import io.jenkins.plugins.mlops.jenkins.actions.TrainAction;
import io.jenkins.plugins.mlops.jenkins.actions.ValidationAction;
import io.jenkins.plugins.mlops.registry.LocalRegistry;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.pipeline.StageStatus;
import org.jenkinsci.plugins.pipeline.SyntheticStage;
import org.jenkinsci.plugins.workflow.actions.LabelAction;
import org.jenkinsci.plugins.workflow.actions.TagsAction;
import org.jenkinsci.plugins.workflow.actions.ThreadNameAction;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.graph.BlockStartNode;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.graphanalysis.DepthFirstScanner;
import org.jenkinsci.plugins.workflow.graphanalysis.NodeStepTypePredicate;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.StepExecutions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.jvnet.hudson.test.recipes.WithTimeout;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The churn example's declarative Jenkinsfile, read from examples/churn as users copy it, run with
 * {@code PROFILE=local} as a Pipeline job on a real agent (its own JVM): the real engine, the
 * example's training and evaluation scripts on the test venv's scikit-learn and MLflow, the file
 * registry in the workspace, MLflow's scoring servers behind the embedded router. The agent has
 * the workspace as a checkout would leave it, and {@code .venv} pointing at the test venv (the
 * same pinned packages as the example's requirements.txt; pip may not go online).
 */
@WithJenkins
class ChurnPipelineOnAnAgentTest {
    /** The builds' logs in the test's output as they run: what CI shows of a build that went wrong. */
    @RegisterExtension
    static final BuildWatcherExtension BUILD_LOGS = new BuildWatcherExtension();

    private static final Path EXAMPLE = Path.of("..", "examples", "churn").toAbsolutePath().normalize();
    /** What a checkout has not: what the example's runs and checks leave beside it (its .gitignore). */
    private static final String NOT_CHECKED_OUT = ".venv/**,.mlops/**,.serve/**,out/**,reports/**,data/train.csv,"
            + "data/holdout.csv,data/requests.jsonl,**/__pycache__/**,.ruff_cache/**,.mypy_cache/**,.pytest_cache/**,"
            + "mlops-predictions.db";
    /** Every stage of the Jenkinsfile that PROFILE=local runs, in order. */
    private static final List<String> LOCAL_STAGES = List.of("Data", "Smoke train", "Train (local)", "Champion (local)",
            "Gate", "Register", "Shadow (local)", "Canary (local)");

    private JenkinsRule r;
    private WorkflowJob job;
    private FilePath workspace;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        Path python = Path.of(System.getProperty("mlops.python", "../.venv/bin/python")).toAbsolutePath().normalize();
        if (!Files.isExecutable(python)) {
            fail("no test Python at " + python + "; run scripts/test.sh once: it creates .venv from requirements-test.txt");
        }
        // Installing nothing: the test venv already has requirements.txt's pins, and a build must not download.
        EnvVars offline = new EnvVars("PIP_NO_INDEX", "1", "PIP_DISABLE_PIP_VERSION_CHECK", "1");
        DumbSlave agent = r.createOnlineSlave(Label.get("linux"), offline);
        job = r.createProject(WorkflowJob.class, "churn-train");
        job.setDefinition(new CpsFlowDefinition(Files.readString(EXAMPLE.resolve("Jenkinsfile")), true));
        // The parameters the Jenkinsfile declares, known before its first build declares them (else they are dropped).
        job.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("PROFILE", "production"),
                new StringParameterDefinition("TRAIN_OPTIONS", ""), new BooleanParameterDefinition("DRIFTED_BATCH", false, null)));
        workspace = agent.getWorkspaceFor(job);
        new FilePath(EXAMPLE.toFile()).copyRecursiveTo("**", NOT_CHECKED_OUT, workspace);
        workspace.child(".venv").symlinkTo(python.getParent().getParent().toString(), TaskListener.NULL);
    }

    private WorkflowRun build(Result expected, ParameterValue... parameters) throws Exception {
        List<ParameterValue> values = new ArrayList<>(List.of(new StringParameterValue("PROFILE", "local")));
        values.addAll(Arrays.asList(parameters));
        return r.assertBuildStatus(expected, job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause()), new ParametersAction(values)));
    }

    @Test
    @WithTimeout(1200)
    void theFirstRunShipsItsCandidateAndTheNextRunsWorseCandidateStopsAtTheGate() throws Exception {
        WorkflowRun first = build(Result.SUCCESS);
        assertThat(ranStages(first), equalTo(LOCAL_STAGES));
        for (Class<? extends StepResultAction<?>> action : List.of(ValidationAction.class, SmokeTrainAction.class,
                TrainAction.class, GateAction.class, RegistrationAction.class, ShadowAction.class, CanaryAction.class)) {
            StepResultAction<?> onBuild = first.getAction(action);
            assertThat(action.getSimpleName(), onBuild, notNullValue());
            assertThat(action.getSimpleName(), onBuild.getStatus(), is(Status.PASS));
        }
        GateAction gate = first.getAction(GateAction.class);
        assertThat(gate.getPrimary().name(), is("roc_auc"));
        // The script read the decision the step returned.
        assertThat(first.getDescription(), containsString("gate PASS: "));
        assertThat(first.getAction(RegistrationAction.class).getResult().aliases(), equalTo(List.of("staging")));
        assertThat(first.getAction(CanaryAction.class).getResult().finalWeight(), is(100));
        r.assertLogContains("junit stand-in: reports/canary/canary-junit.xml", first);
        assertThat("post stopped the model servers", workspace.child(".serve").list("*.pid").length, is(0));

        WorkflowRun worse = build(Result.UNSTABLE, new StringParameterValue("TRAIN_OPTIONS", "--drop-feature contract"));
        assertThat(worse.getAction(GateAction.class).getResult().decision(), is(Decision.FAIL));
        assertThat(worse.getDescription(), containsString("gate FAIL: "));
        FlowNode gateStep = new DepthFirstScanner().findFirstMatch(worse.getExecution(), new NodeStepTypePredicate("gateModel"));
        WarningAction warning = gateStep.getPersistentAction(WarningAction.class);
        assertThat(warning, notNullValue());
        assertThat(warning.getResult(), is(Result.UNSTABLE));
        assertThat(stageOf(gateStep), is("Gate"));
        for (String skipped : List.of("Register", "Shadow (local)", "Canary (local)")) {
            assertThat(skipped, stageStatus(worse, skipped), is(StageStatus.getSkippedForUnstable()));
        }
        assertThat(worse.getAction(RegistrationAction.class), nullValue());
        List<ModelVersion> versions = new LocalRegistry(Path.of(workspace.child(".mlops/registry").getRemote()), line -> { })
                .list("churn");
        assertThat("only the first run's candidate is registered", versions.stream().map(ModelVersion::version).toList(),
                equalTo(List.of(1)));
    }

    @Test
    @WithTimeout(600)
    void aDriftedBatchStopsTheRunBeforeTraining() throws Exception {
        WorkflowRun drifted = build(Result.FAILURE, new BooleanParameterValue("DRIFTED_BATCH", true));
        ValidationAction validation = drifted.getAction(ValidationAction.class);
        assertThat(validation.getStatus(), is(Status.FAIL));
        r.assertLogContains("monthly_charges", drifted);
        assertThat(ranStages(drifted), equalTo(List.of("Data")));
        assertThat(drifted.getAction(SmokeTrainAction.class), nullValue());
        assertThat(drifted.getAction(TrainAction.class), nullValue());
        assertThat(workspace.child("out/train").exists(), is(false));
    }

    /** The stages whose steps ran, in order: not skipped (by a when, a failure or an UNSTABLE build), not declarative's own. */
    private static List<String> ranStages(WorkflowRun build) {
        List<String> ran = new ArrayList<>();
        for (FlowNode stage : stages(build)) {
            TagsAction tags = stage.getPersistentAction(TagsAction.class);
            if (!StageStatus.isSkippedStage(stage) && (tags == null || tags.getTagValue(SyntheticStage.TAG_NAME) == null)) {
                ran.add(0, stage.getDisplayName());
            }
        }
        return ran;
    }

    private static String stageStatus(WorkflowRun build, String name) {
        FlowNode stage = stages(build).stream().filter(node -> name.equals(node.getDisplayName())).findFirst().orElse(null);
        assertThat(name, stage, notNullValue());
        TagsAction tags = stage.getPersistentAction(TagsAction.class);
        return tags == null ? null : tags.getTagValue(StageStatus.TAG_NAME);
    }

    /** The stage of a step: its innermost enclosing stage block. */
    private static String stageOf(FlowNode node) {
        return node.getEnclosingBlocks().stream().filter(ChurnPipelineOnAnAgentTest::isStage).map(FlowNode::getDisplayName)
                .findFirst().orElse(null);
    }

    /** Every stage's block, last first. */
    private static List<FlowNode> stages(WorkflowRun build) {
        return new DepthFirstScanner().filteredNodes(build.getExecution(), ChurnPipelineOnAnAgentTest::isStage);
    }

    /** A stage's block has the stage's name as its label; a parallel branch's has a thread name too. */
    private static boolean isStage(FlowNode node) {
        return node instanceof BlockStartNode && node.getPersistentAction(LabelAction.class) != null
                && node.getPersistentAction(ThreadNameAction.class) == null;
    }

    /**
     * The junit plugin is not in the Jenkins repository these tests build against (../shared/jenkins-repo),
     * so this step takes its symbol and its parameters and logs the files its pattern matches: the
     * example's post section hands it the reports' JUnit files.
     */
    public static final class JunitStandIn extends Step {
        private final String testResults;

        @DataBoundConstructor
        public JunitStandIn(String testResults) {
            this.testResults = testResults;
        }

        public String getTestResults() {
            return testResults;
        }

        @DataBoundSetter
        public void setAllowEmptyResults(boolean allowEmptyResults) {
            // As the junit step's: the stand-in reads no results.
        }

        @Override
        public StepExecution start(StepContext context) {
            return StepExecutions.synchronousNonBlocking(context, c -> {
                FilePath workspace = c.get(FilePath.class);
                for (FilePath file : workspace.list(testResults)) {
                    c.get(TaskListener.class).getLogger().println("junit stand-in: "
                            + file.getRemote().substring(workspace.getRemote().length() + 1));
                }
                return null;
            });
        }

        @TestExtension
        public static final class DescriptorImpl extends StepDescriptor {
            @Override
            public Set<? extends Class<?>> getRequiredContext() {
                return Set.of(FilePath.class, TaskListener.class);
            }

            @Override
            public String getFunctionName() {
                return "junit";
            }

            @NonNull
            @Override
            public String getDisplayName() {
                return "JUnit results (test stand-in)";
            }
        }
    }
}
