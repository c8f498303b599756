package io.jenkins.plugins.mlops.process;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a training command on this machine under a time and a memory limit, streams its output,
 * and keeps what is needed to judge how it ended.
 *
 * <p>The child starts in a session of its own ({@code setsid}), so that it and every process it
 * forks (data-loader workers, shells, a grandchild that outlives its parent) share one process
 * group that is stopped as a whole: at the time limit, and after the child exits (leftovers would
 * keep the log pipe open and the machine busy). A small shell watchdog leads that group: it holds
 * the read end of a pipe whose only writer is this JVM, and kills the group when the pipe closes,
 * which the kernel does however this JVM ends ({@code kill -9} included), so no training run
 * outlives mlops. The memory limit is on the resident memory of the tree: a cgroup of its own
 * where one is writable, else a watchdog over {@code /proc} (see {@link MemoryLimitMechanism}).
 */
public final class LocalProcessLauncher implements ProcessStarter {
    /** Lines of output kept for classification and quoting. */
    public static final int TAIL_LINES = 200;
    /** How often the tree's resident memory is read; the kernel's high-water marks cover the time between. */
    static final long MEMORY_SAMPLE_MS = 50;
    private static final Duration READER_DRAIN = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 4, "SIGILL",
            6, "SIGABRT", 7, "SIGBUS", 8, "SIGFPE", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");
    /**
     * Run as {@code sh -c WATCHDOG mlops-run CGROUP_PROCS PROGRAM ARGS...} in a session of its own.
     * The watcher reads stdin (the pipe from this JVM) to its end, then kills the process group;
     * the training command gets /dev/null as stdin and never sees the pipe. It joins the cgroup,
     * when there is one, before the command starts, so that nothing the command forks escapes it.
     */
    static final String WATCHDOG = String.join("\n",
            "procs=$1; shift",
            // A background job's stdin is /dev/null before its own redirections: hand the pipe over as fd 3.
            "exec 3<&0 0</dev/null",
            "( cat >/dev/null 2>&1; kill -KILL 0 ) <&3 >/dev/null 2>&1 &",
            "watcher=$!",
            "exec 3<&-",
            "if [ -n \"$procs\" ] && ! echo $$ > \"$procs\"; then",
            "  echo \"mlops: cannot move the training command into its memory cgroup ($procs)\" >&2",
            "  kill -KILL $watcher; exit 125",
            "fi",
            "\"$@\"",
            "status=$?",
            "kill -KILL $watcher 2>/dev/null",
            "exit $status");

    private final Path setsid;
    private final Path shell;
    private final Path kill;
    private final boolean cgroups;

    /** Uses {@code setsid}, {@code sh} and {@code kill} from the PATH where installed, and a cgroup where one is writable. */
    public LocalProcessLauncher() {
        this(Executables.onPath("setsid").orElse(null), Executables.onPath("sh").orElse(null),
                Executables.onPath("kill").orElse(null), true);
    }

    /** @param cgroups false to limit memory by the {@code /proc} watchdog even where a cgroup could be made */
    LocalProcessLauncher(Path setsid, Path shell, Path kill, boolean cgroups) {
        this.setsid = setsid;
        this.shell = shell;
        this.kill = kill;
        this.cgroups = cgroups;
    }

    /** A launcher that never makes cgroups: the {@code /proc} watchdog enforces the memory limit. */
    static LocalProcessLauncher withoutCgroups() {
        return new LocalProcessLauncher(Executables.onPath("setsid").orElse(null), Executables.onPath("sh").orElse(null),
                Executables.onPath("kill").orElse(null), false);
    }

    /**
     * Runs the command to its end or its time limit.
     *
     * @param console receives each line of output (stdout and stderr merged, in order) as it comes
     * @throws BadInputException when the program does not exist or cannot be started
     * @throws CancellationException when this thread is interrupted (e.g. the build was aborted);
     *     the process tree is stopped first
     */
    @Override
    public ProcessOutcome run(ProcessSpec spec, Consumer<String> console) {
        Path program = Executables.resolve(spec.command().get(0), spec.workingDirectory(), spec.environment());
        long limit = spec.memoryLimitBytes();
        // Only the watchdog shell can move the command into a cgroup before it runs a line of code.
        Optional<MemoryCgroup> cgroup = limit > 0 && cgroups && watchdogAvailable() ? MemoryCgroup.create(limit)
                : Optional.empty();
        try {
            return run(spec, program, cgroup.orElse(null), console);
        } finally {
            cgroup.ifPresent(MemoryCgroup::close);
        }
    }

    private ProcessOutcome run(ProcessSpec spec, Path program, MemoryCgroup cgroup, Consumer<String> console) {
        long limit = spec.memoryLimitBytes();
        MemoryLimitMechanism mechanism = limit <= 0 ? MemoryLimitMechanism.NONE
                : cgroup != null ? cgroup.version()
                : ProcessTreeMemory.available() ? MemoryLimitMechanism.RSS_WATCHDOG : MemoryLimitMechanism.NONE;
        boolean watched = watchdogAvailable();
        List<String> argv = new ArrayList<>();
        if (setsid != null) {
            argv.add(setsid.toString());
        }
        if (watched) {
            argv.addAll(List.of(shell.toString(), "-c", WATCHDOG, "mlops-run",
                    cgroup == null ? "" : cgroup.processesFile().toString()));
        }
        argv.add(program.toString());
        argv.addAll(spec.command().subList(1, spec.command().size()));

        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        if (spec.workingDirectory() != null) {
            builder.directory(spec.workingDirectory().toFile());
        }
        // Python buffers a pipe in 8 KiB blocks; unbuffered, the console shows progress as it happens.
        builder.environment().put("PYTHONUNBUFFERED", "1");
        builder.environment().putAll(spec.environment());

        long startNanos = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BadInputException("cannot start '" + spec.command().get(0) + "': " + e.getMessage(), e);
        }
        // setsid makes the child the leader of a new process group whose id is its pid.
        long processGroup = setsid != null ? process.pid() : -1;
        // Ctrl-C, or SIGTERM from a CI agent, ends this JVM: stop the tree on the way out rather than when the pipe closes.
        Thread onShutdown = new Thread(() -> stopTree(process, processGroup, SHUTDOWN_GRACE), "mlops-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(onShutdown);
        LogTail tail = new LogTail(TAIL_LINES);
        Thread reader = new Thread(() -> pump(process, tail, console), "mlops-log-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        ProcessTreeMemory memory = new ProcessTreeMemory();
        AtomicBoolean killedAtLimit = new AtomicBoolean();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlops-memory-" + process.pid());
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> {
            long peak = memory.sample(process.toHandle());
            if (mechanism == MemoryLimitMechanism.RSS_WATCHDOG && peak > limit && !killedAtLimit.getAndSet(true)) {
                // As the OOM killer does: SIGKILL, no grace; the script had no way to stay under the limit in time.
                killTree(process, processGroup);
            }
        }, 0, MEMORY_SAMPLE_MS, TimeUnit.MILLISECONDS);

        boolean timedOut = false;
        try {
            if (!process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                stopTree(process, processGroup, spec.killGrace());
            }
        } catch (InterruptedException e) {
            stopTree(process, processGroup, Duration.ZERO);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted; stopped '" + spec.command().get(0) + "' and its children");
        } finally {
            sampler.shutdownNow();
            signalGroup(processGroup, "KILL");
            ShutdownHooks.remove(onShutdown);
        }
        try {
            reader.join(READER_DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double durationS = (System.nanoTime() - startNanos) / 1e9;
        // A process stuck in the kernel (uninterruptible I/O) can outlive SIGKILL for a while: report it as unknown.
        int exitCode = process.isAlive() ? -1 : process.exitValue();
        String signal = signal(exitCode);
        boolean overLimit = killedAtLimit.get() || cgroup != null && cgroup.oomKilled();
        long peak = memory.peak();
        if (overLimit && cgroup != null) {
            // The tree died at the kernel's count (page cache included), between two of our samples.
            peak = Math.max(peak, cgroup.peakBytes());
        }
        return new ProcessOutcome(exitCode, signal, timedOut, durationS, peak, mechanism, overLimit, tail.lines(),
                tail.totalLines());
    }

    /** The signal that a shell's exit status of 128 + N names, e.g. {@code SIGKILL} for 137; null for an exit. */
    public static String signal(int exitCode) {
        return exitCode > 128 ? SIGNALS.getOrDefault(exitCode - 128, "signal " + (exitCode - 128)) : null;
    }

    /** The watchdog needs a session of its own, or its {@code kill 0} would reach this JVM's process group. */
    private boolean watchdogAvailable() {
        return setsid != null && shell != null;
    }

    /**
     * Reads the output line by line (a carriage return ends a line too: progress bars redraw with
     * it), keeping at most {@link LogTail#MAX_LINE} characters of a line, so a script that prints
     * megabytes without a newline cannot exhaust this JVM's memory.
     */
    private static void pump(Process process, LogTail tail, Consumer<String> console) {
        try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            StringBuilder line = new StringBuilder();
            boolean clipped = false;
            boolean afterCarriageReturn = false;
            int n;
            while ((n = in.read(buffer)) != -1) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n' && afterCarriageReturn) {
                        afterCarriageReturn = false;
                        continue;
                    }
                    afterCarriageReturn = c == '\r';
                    if (c == '\n' || c == '\r') {
                        emit(line, clipped, tail, console);
                        clipped = false;
                    } else if (line.length() < LogTail.MAX_LINE) {
                        line.append(c);
                    } else {
                        clipped = true;
                    }
                }
            }
            if (line.length() > 0) {
                emit(line, clipped, tail, console);
            }
        } catch (IOException | UncheckedIOException e) {
            // The stream closes when the tree is killed; what was read is kept.
        }
    }

    private static void emit(StringBuilder line, boolean clipped, LogTail tail, Consumer<String> console) {
        String text = clipped ? line + " …" : line.toString();
        line.setLength(0);
        tail.add(text);
        console.accept(text);
    }

    /** SIGTERM to the whole tree, a grace period to save checkpoints and exit, then SIGKILL. */
    private void stopTree(Process process, long processGroup, Duration grace) {
        List<ProcessHandle> tree = Stream.concat(Stream.of(process.toHandle()), process.toHandle().descendants()).toList();
        signalGroup(processGroup, "TERM");
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                break;
            }
        }
        signalGroup(processGroup, "KILL");
        // Processes that left the group (setsid of their own) are still found through their parents.
        Stream.concat(tree.stream(), process.toHandle().descendants()).forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(READER_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL to the whole tree at once. */
    private void killTree(Process process, long processGroup) {
        signalGroup(processGroup, "KILL");
        Stream.concat(Stream.of(process.toHandle()), process.toHandle().descendants()).forEach(ProcessHandle::destroyForcibly);
    }

    private void signalGroup(long processGroup, String signal) {
        if (processGroup <= 0 || kill == null) {
            return;
        }
        try {
            Process killer = new ProcessBuilder(kill.toString(), "-s", signal, "--", "-" + processGroup)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            killer.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // The descendants are stopped through ProcessHandle as well.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
