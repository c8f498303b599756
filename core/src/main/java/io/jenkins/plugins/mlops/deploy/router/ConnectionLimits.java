package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What one client connection may hold, so that clients which send slowly, never finish or just
 * stay connected cannot use up the router's threads, memory or file descriptors.
 *
 * @param headerTimeout how long a connection has, from opening or from its previous answer, to send a
 *     complete request head; a keep-alive connection idle this long is closed too
 * @param bodyTimeout how long a request may take to send its body once its head is in
 * @param idleTimeout a connection on which no byte moves either way this long is closed (a client that
 *     stops reading its answer); never less than the upstream timeout plus a second, so that waiting
 *     for a slow model does not count as idle
 * @param maxConnections client connections open at once; more are accepted and closed at once
 */
public record ConnectionLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections) {
    /** Descriptors kept back from client connections: upstream pools, the log database, jars, files. */
    private static final long RESERVED_DESCRIPTORS = 256;
    private static final int MAX_DEFAULT_CONNECTIONS = 10_000;

    public ConnectionLimits {
        positive("header timeout", headerTimeout);
        positive("body timeout", bodyTimeout);
        positive("idle timeout", idleTimeout);
        if (maxConnections < 1) {
            throw new BadInputException("max connections: " + maxConnections + " is not a positive number");
        }
    }

    /** 10 s for a request head, 60 s for a body, 120 s idle, and connections as the descriptor limit allows. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(120),
                defaultMaxConnections());
    }

    /**
     * Half of what the process's descriptor limit leaves after a reserve (each proxied request can
     * hold an upstream connection too), at most 10,000.
     */
    static int defaultMaxConnections() {
        long limit = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : 4096;
        return (int) Math.max(16, Math.min(MAX_DEFAULT_CONNECTIONS, (limit - RESERVED_DESCRIPTORS) / 2));
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new BadInputException(name + ": " + value + " is not a positive duration");
        }
    }
}
