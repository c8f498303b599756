package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import hudson.model.RestartListener;
import hudson.model.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
        Path pidFile = dir.resolve("pid");
        sessions.then(r -> {
            WorkflowJob job = r.createProject(WorkflowJob.class, "abort");
            // One process, no children: the shell becomes the training. A trap in a shell that waits on a child
            // raced Jenkins' kill, which stops children first: the shell could exit on its own before its TERM came.
            Path script = Files.writeString(dir.resolve("train.sh"), "echo $$ > " + pidFile + "\necho epoch 1 started\n"
                    + "exec sleep 600\n");
            job.setDefinition(new CpsFlowDefinition("node { trainOnGpu backend: 'local', gpus: 0, command: 'sh " + script
                    + "' }", true));
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            r.waitForMessage("epoch 1 started", build);
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat("the training runs before the abort", running(pid), is(true));
            build.doStop();
            r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(build));
            assertThat("the training process was stopped before the step ended", running(pid), is(false));
            // Jenkins core's own listener waits for the build's executors, which are released just after the build
            // completes; ours must let go too, so this waits for all of them (the deadline only stops a hang).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!RestartListener.isAllReady() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat("nothing holds a restart back any more", RestartListener.isAllReady(), is(true));
        });
    }

    /** Whether the process runs: a zombie (stopped, not yet reaped by its parent) does not. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }
}
