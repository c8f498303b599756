package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import hudson.model.RestartListener;
import hudson.model.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * Defect 6 for trainOnGpu's command form: the training it started (a GPU Job, or a process on the
 * agent) outlives a controller restart, so a safe restart waits for it, an abort stops it before
 * the step ends, and after a restart it could not prevent the step fails at once naming what may
 * still run, instead of Jenkins' generic "cannot resume" message.
 */
class RestartDuringTrainingTest {
    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @TempDir
    Path dir;

    @Test
    void aSafeRestartWaitsAndAfterARestartTheStepFailsNamingWhatWasLeft() throws Throwable {
        sessions.then(r -> {
            WorkflowJob job = r.createProject(WorkflowJob.class, "train");
            job.setDefinition(new CpsFlowDefinition("node { trainOnGpu backend: 'local', gpus: 0,"
                    + " command: 'sh -c \"echo epoch 1 started; sleep 600\"' }", true));
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            r.waitForMessage("epoch 1 started", build);
            assertThat("a safe restart waits for the training", RestartListener.isAllReady(), is(false));
        });
        sessions.then(r -> {
            WorkflowRun build = r.jenkins.getItemByFullName("train", WorkflowJob.class).getBuildByNumber(1);
            r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(build));
            r.assertLogContains("trainOnGpu cannot resume after a restart of the Jenkins controller", build);
            r.assertLogContains("the training process it started on the agent may still run", build);
        });
    }

    @Test
    void anAbortStopsTheTrainingBeforeTheStepEnds() throws Throwable {
        Path ended = dir.resolve("ended");
        sessions.then(r -> {
            WorkflowJob job = r.createProject(WorkflowJob.class, "abort");
            // The training records its own end: a process left running would never write the file.
            Path script = Files.writeString(dir.resolve("train.sh"), "trap 'echo stopped > " + ended + "; exit 143' TERM\n"
                    + "echo epoch 1 started\nsleep 600 &\nwait\n");
            job.setDefinition(new CpsFlowDefinition("node { trainOnGpu backend: 'local', gpus: 0, command: 'sh " + script
                    + "' }", true));
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            r.waitForMessage("epoch 1 started", build);
            build.doStop();
            r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(build));
            assertThat("the training process was stopped before the step ended", Files.exists(ended), is(true));
            assertThat("nothing holds a restart back any more", RestartListener.isAllReady(), is(true));
        });
    }
}
