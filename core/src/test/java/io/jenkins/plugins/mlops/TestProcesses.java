package io.jenkins.plugins.mlops;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The servers tests start: a free loopback port for each, and a stop that takes the whole process tree down. */
public final class TestProcesses {
    private TestProcesses() {}

    /** A port free on 127.0.0.1 now (another process may take it before the server binds; tests accept that). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops {@code process} and every process it started (MLflow's workers), forcibly after 20 s. */
    public static void stopTree(Process process, String what) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(what + " did not stop", e);
        }
    }

    /**
     * Waits until {@code ready} holds for a server {@code process} that logs to {@code log}; fails with the end of
     * that log as soon as the process exits, or at {@code limit}, which only stops a hang (CI machines are busy).
     */
    public static void awaitReady(Process process, Path log, BooleanSupplier ready, String what, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(what + " exited (" + process.exitValue() + "); the end of its log:\n" + logTail(log));
            }
            process.waitFor(100, TimeUnit.MILLISECONDS); // a poll that returns at once when the process exits
        }
        throw new AssertionError(what + " was not ready in " + limit.toSeconds() + " s; the end of its log:\n" + logTail(log));
    }

    /** True once {@code log} holds {@code line}: for servers that say they started only in their log. */
    public static BooleanSupplier logContains(Path log, String line) {
        return () -> {
            try {
                return Files.readString(log, StandardCharsets.UTF_8).contains(line);
            } catch (IOException e) {
                return false;
            }
        };
    }

    /** The last 30 lines of a server's log, for a failing test's message. */
    public static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
