package io.jenkins.plugins.mlops.deploy.router;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Bytes on a socket, for requests no well-behaved HTTP client would send. */
final class RawHttp {
    /** Longest wait for the router to answer or close; a bound, not a speed expectation. */
    static final int PATIENCE_MS = 30_000;

    private RawHttp() {}

    static Socket open(URI router) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(router.getHost(), router.getPort()), 5_000);
        socket.setSoTimeout(PATIENCE_MS);
        return socket;
    }

    /** Sends {@code raw} and reads until the router closes the connection; what came back. */
    static String exchange(URI router, String raw) throws IOException {
        try (Socket socket = open(router)) {
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads and discards until the router closes the connection; the number of bytes, or -1 when it stayed open. */
    static long drain(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (IOException e) {
            // A reset is a close too.
        }
        return total;
    }
}
