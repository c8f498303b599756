package io.jenkins.plugins.mlops.jenkins.steps;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jenkins.security.MasterToSlaveCallable;

/**
 * The engine calls running in this JVM (the controller or an agent), by id, so that an abort can
 * interrupt the engine itself where it runs. Interrupting the controller's thread instead would
 * end a remote call at once while the agent is still rolling back.
 */
final class EngineThreads {
    private static final Map<String, Thread> RUNNING = new ConcurrentHashMap<>();

    private EngineThreads() {}

    static void started(String id) {
        RUNNING.put(id, Thread.currentThread());
    }

    static void ended(String id) {
        RUNNING.remove(id);
    }

    /** Interrupts the engine call {@code id} in the JVM it runs in; false when it is not running (yet or any more). */
    static final class Interrupt extends MasterToSlaveCallable<Boolean, RuntimeException> {
        private static final long serialVersionUID = 1L;
        private final String id;

        Interrupt(String id) {
            this.id = id;
        }

        @Override
        public Boolean call() {
            Thread thread = RUNNING.get(id);
            if (thread == null) {
                return false;
            }
            thread.interrupt();
            return true;
        }
    }
}
