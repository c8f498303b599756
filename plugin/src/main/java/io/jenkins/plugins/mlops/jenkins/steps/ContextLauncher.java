package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Proc;
import hudson.model.TaskListener;
import hudson.remoting.Channel;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.process.LineSplitter;
import io.jenkins.plugins.mlops.process.LocalProcessLauncher;
import io.jenkins.plugins.mlops.process.LogTail;
import io.jenkins.plugins.mlops.process.MemoryLimitMechanism;
import io.jenkins.plugins.mlops.process.ProcessOutcome;
import io.jenkins.plugins.mlops.process.ProcessSpec;
import io.jenkins.plugins.mlops.process.ProcessStarter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts a training command through the step context's {@link Launcher} when something decorates it:
 * the kubernetes plugin's {@code container('x')} sends the launch to that container, docker-workflow's
 * {@code withDockerContainer} into its container, and an agent's own {@code LauncherDecorator}s apply.
 * The engine runs on the agent (it reads the workspace), the decorated launcher lives on the
 * controller; so the controller exports this object over the agent's channel, as the kubernetes plugin
 * and durable-task do with their streams, and the engine's {@link ProcessStarter} calls back through it.
 *
 * <p>What the local launcher does by itself, the decorated launch keeps: an abort interrupts the
 * engine's call, the interrupt reaches this controller's thread, and {@link Proc#kill} stops what the
 * decoration started (in a container, the kubernetes plugin kills the exec'd process tree); the time
 * limit kills it too; the memory limit is set by a shell in the target ({@code ulimit -v}, see
 * {@link MemoryLimitMechanism#ADDRESS_SPACE_ULIMIT}); the output is streamed to the build log and its
 * tail kept for the failure classifier.
 */
final class ContextLauncher {
    /** What the agent's engine calls, on the controller. */
    interface Remote {
        ProcessOutcome launch(LaunchRequest request) throws IOException, InterruptedException;
    }

    /**
     * Sets the address-space limit in the target environment, then runs the command as it is:
     * {@code sh -c LIMIT mlops-memory-limit KIB PROGRAM ARGS...}.
     */
    static final String ULIMIT = "ulimit -v \"$1\" || exit 125; shift; exec \"$@\"";

    private ContextLauncher() {}

    /**
     * The starter for a step's engine call: through {@code launcher} when something decorates it, else null
     * (the engine starts the command itself on the agent, in a process group and a memory cgroup).
     */
    @CheckForNull
    static Starter forStep(@CheckForNull Launcher launcher, TaskListener listener, @CheckForNull FilePath workspace) {
        if (!(launcher instanceof Launcher.DecoratedLauncher) || workspace == null) {
            return null;
        }
        OnController here = new OnController(launcher, listener);
        VirtualChannel channel = workspace.getChannel();
        // On the built-in node the engine runs in this JVM and calls this object directly.
        return new Starter(channel instanceof Channel remote ? remote.export(Remote.class, here) : here);
    }

    /** The controller's side: launches through the step's decorated launcher, streams to the build log. */
    static final class OnController implements Remote {
        private final Launcher launcher;
        private final TaskListener listener;

        OnController(Launcher launcher, TaskListener listener) {
            this.launcher = launcher;
            this.listener = listener;
        }

        @Override
        public ProcessOutcome launch(LaunchRequest request) throws IOException, InterruptedException {
            List<String> argv = new ArrayList<>();
            if (request.memoryLimitBytes() > 0) {
                argv.addAll(List.of("sh", "-c", ULIMIT, "mlops-memory-limit",
                        String.valueOf(Math.max(1, request.memoryLimitBytes() / 1024))));
            }
            argv.addAll(request.command());
            Map<String, String> environment = new LinkedHashMap<>(request.environment());
            // Python buffers a pipe in 8 KiB blocks; unbuffered, the console shows progress as it happens.
            environment.put("PYTHONUNBUFFERED", "1");
            LogTail tail = new LogTail(LocalProcessLauncher.TAIL_LINES);
            PrintStream log = listener.getLogger();
            long started = System.nanoTime();
            int exitCode;
            try (LineSplitter output = new LineSplitter(line -> {
                tail.add(line);
                log.println(line);
            })) {
                Launcher.ProcStarter starter = launcher.launch().cmds(argv).envs(environment).stdout(output).quiet(true);
                if (request.workingDirectory() != null) {
                    starter.pwd(request.workingDirectory());
                }
                Proc proc;
                try {
                    proc = starter.start();
                } catch (IOException e) {
                    throw new BadInputException("cannot start '" + request.command().get(0) + "': " + e.getMessage(), e);
                }
                try {
                    // Kills the decorated process at the time limit, as the local launcher does.
                    exitCode = proc.joinWithTimeout(request.timeoutMillis(), TimeUnit.MILLISECONDS, listener);
                } catch (InterruptedException e) {
                    proc.kill();
                    throw e;
                }
            }
            double durationS = (System.nanoTime() - started) / 1e9;
            boolean timedOut = durationS * 1000 >= request.timeoutMillis();
            MemoryLimitMechanism mechanism = request.memoryLimitBytes() > 0 ? MemoryLimitMechanism.ADDRESS_SPACE_ULIMIT
                    : MemoryLimitMechanism.NONE;
            return new ProcessOutcome(exitCode, LocalProcessLauncher.signal(exitCode), timedOut, durationS, 0, mechanism,
                    false, tail.lines(), tail.totalLines());
        }
    }

    /** The engine's side, on the agent: each command goes to the controller's decorated launcher. */
    static final class Starter implements ProcessStarter, Serializable {
        private static final long serialVersionUID = 1L;
        @SuppressFBWarnings(value = "SE_BAD_FIELD", justification = "On an agent this is the channel's proxy, which"
                + " serializes as a reference to the exported object; the object itself only on the built-in node,"
                + " where FilePath.act runs the call in this JVM without serializing it")
        private final Remote controller;

        Starter(Remote controller) {
            this.controller = controller;
        }

        /** The controller prints the output to the build log as it comes; {@code console} gets nothing twice. */
        @Override
        public ProcessOutcome run(ProcessSpec spec, Consumer<String> console) {
            try {
                return controller.launch(LaunchRequest.of(spec));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted; stopped '" + spec.command().get(0) + "'");
            } catch (IOException e) {
                throw new BadInputException("cannot run '" + spec.command().get(0) + "' through the step's launcher: "
                        + e.getMessage(), e);
            }
        }

        /** The target (a container) shares the workspace with the agent, not its temporary directory or PATH. */
        @Override
        public boolean local() {
            return false;
        }
    }
}
