package io.jenkins.plugins.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registries that misbehave on purpose, each a raw socket on loopback: every call must end by its
 * deadline and read a bounded amount, whatever the server does after accepting the connection.
 */
class HostileServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesSent = new AtomicLong();

    @AfterEach
    void stop() throws IOException {
        listener.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    /** Reads the request line and headers, then hands the connection to {@code behaviour}. */
    private interface Behaviour {
        void answer(OutputStream out) throws IOException, InterruptedException;
    }

    private MlflowRestClient clientOf(Behaviour behaviour) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    accepted.add(socket);
                    Thread handler = new Thread(() -> {
                        try (socket) {
                            readHeaders(socket.getInputStream());
                            behaviour.answer(socket.getOutputStream());
                        } catch (IOException | InterruptedException e) {
                            // The client hung up, as it should.
                        }
                    });
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return new MlflowRestClient(URI.create("http://127.0.0.1:" + listener.getLocalPort()), RegistryCredentials.NONE,
                TIMEOUT, line -> { });
    }

    @Test
    void aServerThatSendsHeadersThenOneByteASecondIsCutAtTheDeadline() throws IOException {
        MlflowRestClient client = clientOf(out -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 100_000; i++) {
                out.write(' ');
                out.flush();
                Thread.sleep(1000);
            }
        });

        assertEndsByTheDeadline(client, "no complete answer within");
    }

    @Test
    void aSilentServerIsCutAtTheDeadlineNotAtAFixedMinute() throws IOException {
        MlflowRestClient client = clientOf(out -> Thread.sleep(600_000));

        assertEndsByTheDeadline(client, "no complete answer within");
    }

    @Test
    void anEndlessBodyIsReadOnlyUpToTheLimit() throws IOException {
        byte[] chunk = new byte[1 << 16];
        java.util.Arrays.fill(chunk, (byte) ' ');
        MlflowRestClient client = clientOf(out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (long i = 0; i < 1_000_000; i++) {
                out.write(chunk);
                bytesSent.addAndGet(chunk.length);
            }
        });

        assertThatThrownBy(() -> client.get("registered-models/get", Map.of("name", "churn")))
                .isInstanceOf(MlflowApiException.class).hasMessageContaining("more than 32 MiB");
        // The client stopped reading: the server could not push much past the limit (socket buffers aside).
        assertThat(bytesSent.get()).isLessThan(MlflowRestClient.MAX_BODY_BYTES + (16L << 20));
    }

    @Test
    void aServerThatDripsAnErrorPageIsCutTooAndTheCallReportsItsAttempts() throws IOException {
        MlflowRestClient client = clientOf(out -> {
            out.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 5000; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(500);
            }
        });

        assertEndsByTheDeadline(client, "HttpTimeoutException");
    }

    private static void assertEndsByTheDeadline(MlflowRestClient client, String why) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.get("registered-models/get", Map.of("name", "churn")))
                .isInstanceOf(MlflowApiException.class).hasMessageContaining(why);
        double seconds = (System.nanoTime() - start) / 1e9;
        // The event that matters is that no second attempt got a full timeout of its own (the server never
        // answers in time, so that would take two): bounded there, not by how fast a busy machine gives up.
        assertThat(seconds).as("seconds the call took under a %s s deadline", TIMEOUT.toSeconds())
                .isLessThan(2.0 * TIMEOUT.toSeconds());
    }

    private static void readHeaders(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b >= 0; b = in.read()) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == end.length) {
                return;
            }
        }
    }
}
