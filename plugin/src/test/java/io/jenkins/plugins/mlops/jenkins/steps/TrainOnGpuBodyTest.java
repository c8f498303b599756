package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import hudson.model.Result;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import java.util.List;
import java.util.Map;
import org.csanchez.jenkins.plugins.kubernetes.KubernetesCloud;
import org.jenkinsci.plugins.structs.SymbolLookup;
import org.jenkinsci.plugins.structs.describable.UninstantiatedDescribable;
import org.jenkinsci.plugins.workflow.actions.ArgumentsAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.graphanalysis.DepthFirstScanner;
import org.jenkinsci.plugins.workflow.graphanalysis.NodeStepTypePredicate;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Defect 2: {@code trainOnGpu(retries: N) { ... }} must retry a lost pod. The kubernetes plugin's
 * {@code kubernetesAgent()} condition finds the lost agent's template through the enclosing
 * {@code podTemplate}, so {@code retry} has to sit inside it, around {@code node(POD_LABEL)}. The
 * steps run in a real Pipeline against a Kubernetes cloud that has no cluster behind it: the build
 * stops at {@code node}, waiting for the pod, with every enclosing block already in the flow graph.
 */
@WithJenkins
class TrainOnGpuBodyTest {
    private JenkinsRule r;
    private WorkflowJob job;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        KubernetesCloud cloud = new KubernetesCloud("kubernetes");
        // Nothing listens on port 1: the pod is never provisioned and node() waits until the build is aborted.
        cloud.setServerUrl("https://127.0.0.1:1");
        r.jenkins.clouds.add(cloud);
        MlopsConfiguration.get().setDefaultGpuImage("ghcr.io/acme/train:1.4");
        job = r.createProject(WorkflowJob.class, "train");
    }

    @Test
    void retryIsInsidePodTemplateAroundTheAgentAndRetriesOnlyLostAgents() throws Exception {
        WorkflowRun build = startAndWaitForTheAgent("trainOnGpu(gpus: 2, retries: 2) { echo 'training' }");
        FlowNode podTemplate = step(build, "podTemplate");
        FlowNode retry = step(build, "retry");
        FlowNode node = step(build, "node");

        assertThat("retry inside podTemplate", enclosing(retry), hasItem(podTemplate.getId()));
        assertThat("node inside retry", enclosing(node), hasItem(retry.getId()));
        assertThat("podTemplate is not inside retry", enclosing(podTemplate), not(hasItem(retry.getId())));
        Map<String, Object> arguments = ArgumentsAction.getFilteredArguments(retry);
        assertThat("one try plus two retries", arguments.get("count"), is(3));
        assertThat("a lost pod and a step that cannot resume are retried, nothing else",
                symbols((List<?>) arguments.get("conditions")), is(List.of("kubernetesAgent", "nonresumable")));
        abort(build);
    }

    @Test
    void withoutRetriesTheAgentIsDirectlyInsidePodTemplate() throws Exception {
        WorkflowRun build = startAndWaitForTheAgent("trainOnGpu(gpus: 1) { echo 'training' }");
        FlowNode podTemplate = step(build, "podTemplate");
        assertThat(new DepthFirstScanner().findFirstMatch(build.getExecution(), new NodeStepTypePredicate("retry")),
                nullValue());
        assertThat("node inside podTemplate", enclosing(step(build, "node")), hasItem(podTemplate.getId()));
        abort(build);
    }

    /** The blocks around a step, innermost first, by flow node id. */
    private static List<String> enclosing(FlowNode node) {
        return node.getEnclosingBlocks().stream().map(FlowNode::getId).toList();
    }

    /** The retry conditions as the Pipeline wrote them, by symbol. */
    private static List<String> symbols(List<?> conditions) {
        return conditions.stream().map(condition -> condition instanceof UninstantiatedDescribable described
                ? described.getSymbol()
                : String.join(",", SymbolLookup.getSymbolValue(condition))).toList();
    }

    private WorkflowRun startAndWaitForTheAgent(String script) throws Exception {
        job.setDefinition(new CpsFlowDefinition(script, true));
        WorkflowRun build = job.scheduleBuild2(0).waitForStart();
        // node() is the innermost step before the body: once it waits for its pod, every enclosing block has started.
        FlowExecution execution = build.getExecutionPromise().get();
        while (!reached(execution, "node")) {
            assertThat("the build waits for its pod instead of ending", build.isBuilding(), is(true));
            Thread.sleep(100);
        }
        r.assertLogNotContains("training", build);
        return build;
    }

    /** Whether {@code function} has started; right after the build starts a head may not have its first node yet. */
    private static boolean reached(FlowExecution execution, String function) {
        List<FlowNode> heads = execution.getCurrentHeads();
        return !heads.isEmpty() && !heads.contains(null)
                && new DepthFirstScanner().findFirstMatch(heads, new NodeStepTypePredicate(function)) != null;
    }

    /** A block step's start node, the one that holds its arguments (its body has a start node of its own). */
    private static FlowNode step(WorkflowRun build, String function) {
        FlowNode node = new DepthFirstScanner().filteredNodes(build.getExecution(), new NodeStepTypePredicate(function))
                .stream().filter(n -> n.getPersistentAction(ArgumentsAction.class) != null).findFirst().orElse(null);
        assertThat(function + " started", node, notNullValue());
        return node;
    }

    private void abort(WorkflowRun build) throws Exception {
        build.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(build));
    }
}
