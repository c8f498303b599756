package io.jenkins.plugins.mlops.process;

/** Cleanup that must also run when the JVM is stopped (Ctrl-C, SIGTERM from an aborted build). */
public final class ShutdownHooks {
    private ShutdownHooks() {}

    /**
     * Removes a hook once its work is done the normal way.
     *
     * @return false when the JVM is already shutting down, so the hook runs (or ran) instead
     */
    public static boolean remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }
}
