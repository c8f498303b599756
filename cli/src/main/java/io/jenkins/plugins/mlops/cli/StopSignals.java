package io.jenkins.plugins.mlops.cli;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM as a request to stop: the JVM's own handling would run the shutdown hooks
 * and exit 130 or 143, before a server could finish what it was doing and report success.
 */
final class StopSignals {
    private StopSignals() {}

    /** From now on SIGINT and SIGTERM call {@code stop} with the signal's name and no longer end the JVM. */
    static void install(Consumer<String> stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.accept("SIG" + signal.getName()));
        }
    }
}
