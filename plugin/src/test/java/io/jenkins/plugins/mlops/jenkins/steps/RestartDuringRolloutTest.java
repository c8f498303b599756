package io.jenkins.plugins.mlops.jenkins.steps;

import static io.jenkins.plugins.mlops.jenkins.Fixtures.modelServer;
import static io.jenkins.plugins.mlops.jenkins.Fixtures.url;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.sun.net.httpserver.HttpServer;
import hudson.model.Result;
import hudson.model.RestartListener;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * Defect 6: a rollout cannot resume after a controller restart (its router and analysis lived in
 * the old JVM). So a safe restart waits for it, and after a restart it could not prevent, the
 * step fails at once and its log says what may still be running, instead of hanging or passing.
 */
class RestartDuringRolloutTest {
    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aSafeRestartWaitsAndAfterARestartTheStepFailsNamingWhatWasLeft() throws Throwable {
        HttpServer stable = modelServer("0.25");
        HttpServer candidate = modelServer("0.25");
        try {
            sessions.then(r -> {
                WorkflowJob job = r.createProject(WorkflowJob.class, "canary");
                job.setDefinition(new CpsFlowDefinition("node { canaryRollout stable: '" + url(stable) + "', candidate: '"
                        + url(candidate) + "', listen: '127.0.0.1:0', steps: '50,100', stepDuration: '30s', interval: '30s',"
                        + " log: 'none' }", true));
                WorkflowRun build = job.scheduleBuild2(0).waitForStart();
                r.waitForMessage("Weight 50% candidate", build);
                assertThat("a safe restart waits for the rollout", RestartListener.isAllReady(), is(false));
            });
            sessions.then(r -> {
                WorkflowRun build = r.jenkins.getItemByFullName("canary", WorkflowJob.class).getBuildByNumber(1);
                r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(build));
                r.assertLogContains("canaryRollout cannot resume after a restart of the Jenkins controller", build);
                r.assertLogContains("the embedded router (listen 127.0.0.1:0)", build);
            });
        } finally {
            stable.stop(0);
            candidate.stop(0);
        }
    }
}
