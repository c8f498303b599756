package io.jenkins.plugins.mlops.jenkins.steps;

import static io.jenkins.plugins.mlops.jenkins.Fixtures.modelServer;
import static io.jenkins.plugins.mlops.jenkins.Fixtures.url;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import hudson.FilePath;
import hudson.model.Label;
import hudson.model.Result;
import io.jenkins.plugins.mlops.jenkins.actions.CanaryAction;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Defect 5: aborting {@code canaryRollout} mid-step rolls the traffic back to stable before the
 * build ends, on the controller and on an agent. The embedded router keeps its weights in its
 * state file, which is what the next router would resume from.
 */
@WithJenkins
class CanaryAbortTest {
    private static final String ROLLED_BACK = "Rolled back: 0% candidate";
    private JenkinsRule r;
    private WorkflowJob job;
    private HttpServer stable;
    private HttpServer candidate;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "canary");
        stable = modelServer("0.25");
        candidate = modelServer("0.25");
    }

    @AfterEach
    void stopServers() {
        stable.stop(0);
        candidate.stop(0);
    }

    @Test
    void anAbortOnTheControllerRollsBackBeforeTheBuildEnds() throws Exception {
        WorkflowRun build = abortAtFiftyPercent("node");
        assertRolledBack(build, r.jenkins.getWorkspaceFor(job));
        // The rollback happened inside the step, so before the build ended and its log was closed. (An agent's
        // lines reach the log on remoting's schedule, so this order is only certain on the controller.)
        String log = JenkinsRule.getLog(build);
        assertThat(log, log.indexOf(ROLLED_BACK), greaterThanOrEqualTo(0));
        assertThat(log.indexOf(ROLLED_BACK), lessThan(log.indexOf("Finished: ABORTED")));
    }

    @Test
    void anAbortOnAnAgentRollsBackThereBeforeTheBuildEnds() throws Exception {
        FilePath agentWorkspace = r.createOnlineSlave(Label.get("remote")).getWorkspaceFor(job);
        WorkflowRun build = abortAtFiftyPercent("node('remote')");
        assertRolledBack(build, agentWorkspace);
    }

    /** Starts a rollout whose steps last an hour and aborts the build once the candidate has half the traffic. */
    private WorkflowRun abortAtFiftyPercent(String node) throws Exception {
        job.setDefinition(new CpsFlowDefinition(node + " { canaryRollout stable: '" + url(stable) + "', candidate: '"
                + url(candidate) + "', listen: '127.0.0.1:0', state: 'router-state.json', steps: '50,100',"
                + " stepDuration: '1h', interval: '1h', log: 'none' }", true));
        WorkflowRun build = job.scheduleBuild2(0).waitForStart();
        r.waitForMessage("Weight 50% candidate", build);
        build.doStop();
        return r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(build));
    }

    private void assertRolledBack(WorkflowRun build, FilePath workspace) throws Exception {
        // Printed by the step on the controller once the engine call, wherever it ran, has ended.
        r.assertLogContains("canaryRollout: stopped: canaryRollout: infrastructure failure: the rollout was interrupted", build);
        JsonNode weights = new ObjectMapper().readTree(workspace.child("router-state.json").readToString()).get("weights");
        assertThat(List.of(weights.get("stable").asInt(), weights.get("candidate").asInt()), is(List.of(100, 0)));
        assertThat("an aborted rollout shows no result", build.getAction(CanaryAction.class) == null, is(true));
    }
}
