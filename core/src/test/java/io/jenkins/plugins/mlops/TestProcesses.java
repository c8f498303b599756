package io.jenkins.plugins.mlops;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
}
