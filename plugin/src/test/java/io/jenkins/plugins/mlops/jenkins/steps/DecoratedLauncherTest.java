package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.LauncherDecorator;
import hudson.Proc;
import hudson.model.Label;
import hudson.model.Node;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import io.jenkins.plugins.mlops.jenkins.actions.SmokeTrainAction;
import io.jenkins.plugins.mlops.process.MemoryLimitMechanism;
import io.jenkins.plugins.mlops.train.FailureKind;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * The training steps inside a block that decorates the step context's {@code Launcher} as the kubernetes
 * plugin's {@code container('x')} does ({@link BodyInvoker#mergeLauncherDecorators} with a
 * {@link Launcher.DecoratedLauncher}): the command must go through the decoration, on a real agent.
 */
@WithJenkins
class DecoratedLauncherTest {
    /** Generous: the CI machine is small and busy; it only stops a hang. */
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private JenkinsRule r;
    private WorkflowJob job;
    private DumbSlave agent;
    /** The "container": a wrapper every decorated launch runs through; it records its argv and marks the environment. */
    private Path wrapper;
    private Path marker;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "decorated");
        agent = r.createOnlineSlave(Label.get("remote"));
        Path dir = Files.createDirectories(r.jenkins.getRootDir().toPath().resolve("container"));
        marker = dir.resolve("launches.txt");
        wrapper = dir.resolve("in-container.sh");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$*\" >> '" + marker + "'\nMLOPS_IN_CONTAINER=yes exec \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        FilePath workspace = agent.getWorkspaceFor(job);
        Fixtures.churnData(workspace);
    }

    private WorkflowRun start(String body) throws Exception {
        job.setDefinition(new CpsFlowDefinition("node('remote') { inFakeContainer('" + wrapper + "') {\n" + body + "\n} }", true));
        return job.scheduleBuild2(0).waitForStart();
    }

    private List<String> launches() throws IOException {
        return Files.exists(marker) ? Files.readAllLines(marker) : List.of();
    }

    @Test
    void smokeTrainAndLocalTrainingGoThroughTheDecoration() throws Exception {
        FilePath workspace = agent.getWorkspaceFor(job);
        workspace.child("where.sh").write("echo \"in container: $MLOPS_IN_CONTAINER tool: $(greet)\"\n", "UTF-8");
        FilePath tools = workspace.child("tools");
        tools.child("greet").write("#!/bin/sh\necho from-tool-path\n", "UTF-8");
        tools.child("greet").chmod(0755);
        WorkflowRun build = r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(start(
                "withEnv(['PATH+TOOL=" + tools.getRemote() + "']) {\n"
                + "def s = smokeTrain data: 'data/reference.csv', rows: 20, command: 'sh where.sh {data}'\n"
                + "def t = trainOnGpu backend: 'local', gpus: 0, command: 'sh where.sh'\n"
                + "echo \"smoke: ${s.log_excerpt} train: ${t.log_excerpt}\" }")));
        r.assertLogContains("smoke: [in container: yes tool: from-tool-path] train: [in container: yes tool: from-tool-path]",
                build);
        // Both commands went through the wrapper: smokeTrain under its memory limit's ulimit shell.
        assertThat(launches().size(), is(2));
        assertThat(launches().get(0), containsString("ulimit -v"));
        assertThat(launches(), hasItem("sh where.sh"));
        SmokeTrainResult smoke = build.getAction(SmokeTrainAction.class).getResult();
        assertThat(smoke.memoryLimitMechanism(), is(MemoryLimitMechanism.ADDRESS_SPACE_ULIMIT));
        // The sample was written in the workspace, the one directory a container shares with the agent, and removed.
        assertThat(smoke.command().get(2), startsWith(workspace.getRemote() + "/.mlops-smoke-"));
        assertThat(workspace.list(".mlops-smoke-*").length, is(0));
    }

    @Test
    void aMemoryLimitFailureInsideTheDecorationIsClassified() throws Exception {
        WorkflowRun build = r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(start(
                "smokeTrain data: 'data/reference.csv', rows: 20, memory: '200m',"
                + " command: 'python3 -c \"bytearray(1 << 30)\"'")));
        SmokeTrainResult smoke = build.getAction(SmokeTrainAction.class).getResult();
        assertThat(smoke.failure(), is(FailureKind.OUT_OF_MEMORY));
        assertThat(smoke.memoryLimitMechanism(), is(MemoryLimitMechanism.ADDRESS_SPACE_ULIMIT));
        assertThat(launches().size(), is(1));
    }

    @Test
    void abortingInsideTheDecorationKillsTheCommandsProcessTree() throws Exception {
        FilePath workspace = agent.getWorkspaceFor(job);
        // The training's worker is a grandchild of the launch: it must not outlive the abort.
        workspace.child("hang.sh").write("sleep 600 &\necho $! > worker.pid\nwait\n", "UTF-8");
        WorkflowRun build = start("trainOnGpu backend: 'local', gpus: 0, command: 'sh hang.sh'");
        FilePath pidFile = workspace.child("worker.pid");
        long pid = awaitPid(pidFile);
        assertThat(launches(), hasItem("sh hang.sh"));
        build.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(build));
        awaitGone(pid);
    }

    private static long awaitPid(FilePath pidFile) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (pidFile.exists()) {
                String text = pidFile.readToString().strip();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the training command did not start within " + DEADLINE);
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(100);
            } else {
                return;
            }
        }
        throw new AssertionError("process " + pid + " outlived the aborted build");
    }

    /** {@code inFakeContainer(wrapper) { ... }}: merges a launcher decorator into the body's context, as container() does. */
    public static final class InFakeContainerStep extends Step {
        private final String wrapper;

        @DataBoundConstructor
        public InFakeContainerStep(String wrapper) {
            this.wrapper = wrapper;
        }

        @Override
        public StepExecution start(StepContext context) {
            return new Execution(context, wrapper);
        }

        @TestExtension
        public static final class DescriptorImpl extends StepDescriptor {
            @Override
            public String getFunctionName() {
                return "inFakeContainer";
            }

            @Override
            public boolean takesImplicitBlockArgument() {
                return true;
            }

            @Override
            public Set<? extends Class<?>> getRequiredContext() {
                return Set.of(Launcher.class);
            }
        }
    }

    private static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private final String wrapper;

        Execution(StepContext context, String wrapper) {
            super(context);
            this.wrapper = wrapper;
        }

        @Override
        public boolean start() throws Exception {
            getContext().newBodyInvoker()
                    .withContext(BodyInvoker.mergeLauncherDecorators(getContext().get(LauncherDecorator.class),
                            new Wrapping(wrapper)))
                    .withCallback(BodyExecutionCallback.wrap(getContext()))
                    .start();
            return false;
        }
    }

    /** As ContainerExecDecorator: a {@link Launcher.DecoratedLauncher} whose launches run elsewhere (here, through the wrapper). */
    private static final class Wrapping extends LauncherDecorator implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String wrapper;

        Wrapping(String wrapper) {
            this.wrapper = wrapper;
        }

        @NonNull
        @Override
        public Launcher decorate(@NonNull Launcher launcher, @NonNull Node node) {
            return new Launcher.DecoratedLauncher(launcher) {
                @Override
                public Proc launch(@NonNull ProcStarter starter) throws IOException {
                    List<String> cmds = new ArrayList<>(starter.cmds());
                    cmds.add(0, wrapper);
                    boolean[] masks = starter.masks();
                    if (masks != null) {
                        boolean[] shifted = new boolean[masks.length + 1];
                        System.arraycopy(masks, 0, shifted, 1, masks.length);
                        starter.masks(shifted);
                    }
                    return super.launch(starter.cmds(cmds));
                }
            };
        }
    }
}
