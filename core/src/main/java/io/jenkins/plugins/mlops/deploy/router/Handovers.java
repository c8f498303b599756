package io.jenkins.plugins.mlops.deploy.router;

import io.vertx.core.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections the front hands to the Vert.x server behind it, known by the loopback port each
 * one is bound to before it connects. That server serves these and closes any other at once: a
 * local process that connected to it directly would go round the front's connection limit. Each
 * port is taken once, when the server accepts its connection.
 */
final class Handovers {
    static final String HOST = "127.0.0.1";

    private final Set<Integer> ports = ConcurrentHashMap.newKeySet();

    /** The front bound a connection to {@code port} and connects it next. */
    void expect(int port) {
        ports.add(port);
    }

    /** The connection from {@code port} will not come (it failed or its client left). */
    void cancel(int port) {
        ports.remove(port);
    }

    /** Whether a connection the server accepted from {@code peer} is one the front handed over; true once per hand-over. */
    boolean take(SocketAddress peer) {
        return peer != null && HOST.equals(peer.hostAddress()) && ports.remove(peer.port());
    }
}
