package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.deploy.FaultyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops router} as a process of its own: how it stops, and how it holds up when its
 * descriptors run out or its model servers answer with 100 MB, on loopback sockets.
 */
class RouterProcessTest {
    private static final String BODY = "{\"instances\": [[1]]}";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    private FaultyServer stable;
    private Process router;
    private URI uri;

    @BeforeEach
    void upstream() {
        stable = FaultyServer.start(0.25);
    }

    @AfterEach
    void stop() {
        if (router != null && router.isAlive()) {
            TestProcesses.stopTree(router, "mlops router");
        }
        stable.close();
    }

    @Test
    void sigtermFinishesTheRequestInFlightAndExits0() throws Exception {
        stable.delay(1_500);
        start(List.of(), List.of(), "--grace-period", "30s");
        CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(post(), HttpResponse.BodyHandlers.ofString());
        awaitTrue(() -> stable.requests() == 1, "the request reached the model");

        router.destroy(); // SIGTERM

        assertThat(router.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(router.exitValue()).as(log()).isZero();
        assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(log()).contains("SIGTERM: stopping").contains("mlops router: stopped");
    }

    @Test
    void starvedOfDescriptorsItStopsAcceptingAndRecovers() throws Exception {
        // A time zone whose rules the JDK loads from a file when first asked: the logger asks when the
        // first failed accept is logged, with no descriptor left to open the file with.
        start(List.of("ulimit -n 400"), List.of("-Duser.timezone=America/New_York"),
                "--max-connections", "100000", "--header-timeout", "300s");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 600 && !log().contains("Too many open files"); i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
                socket.getOutputStream().write("POST /invocations HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                held.add(socket);
                if (i % 50 == 49) {
                    Thread.sleep(200);
                }
            }
            awaitTrue(() -> log().contains("Too many open files"), "the router ran out of descriptors");
            assertThat(router.isAlive()).as(log()).isTrue();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        // Descriptors free again: the router accepts and serves again.
        HttpResponse<String> answer = CLIENT.send(post(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(log()).isEqualTo(200);
        router.destroy();
        assertThat(router.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(router.exitValue()).as(log()).isZero();
    }

    @Test
    void hugeAnswersPassThroughASmallHeap() throws Exception {
        long huge = 100L * 1024 * 1024;
        stable.huge(huge, false);
        start(List.of(), List.of("-Xmx96m"));
        long rssBefore = rssKib(router.pid());
        List<CompletableFuture<Long>> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(CLIENT.sendAsync(post(), HttpResponse.BodyHandlers.ofInputStream())
                    .thenApply(response -> count(response.body())));
        }
        for (CompletableFuture<Long> client : clients) {
            assertThat(client.get(5, TimeUnit.MINUTES)).as(log()).isEqualTo(huge);
        }
        long rssAfter = rssKib(router.pid());
        System.out.printf("router RSS: %d MiB before, %d MiB after six 100 MB answers%n", rssBefore / 1024, rssAfter / 1024);
        stable.mode(FaultyServer.Mode.OK);
        assertThat(CLIENT.send(post(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(log()).isEqualTo(200);
        assertThat(log()).doesNotContain("OutOfMemoryError");
    }

    /** Starts {@code mlops router} in a JVM of its own, after {@code shell} (e.g. a ulimit), and waits until it listens. */
    private void start(List<String> shell, List<String> jvmOptions, String... options) throws Exception {
        int port = TestProcesses.freePort();
        uri = URI.create("http://127.0.0.1:" + port);
        List<String> command = new ArrayList<>(List.of("sh", "-c", String.join(" && ", shell) + (shell.isEmpty() ? "" : " && ")
                + "exec \"$@\"", "mlops-router", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MlopsCommand.class.getName(), "router",
                "--listen", "127.0.0.1:" + port, "--variant", "stable=" + stable.url(), "--event-loops", "1"));
        command.addAll(List.of(options));
        router = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("router.log").toFile()).start();
        awaitTrue(() -> log().contains("listening on"), "the router listens");
    }

    private HttpRequest post() {
        return HttpRequest.newBuilder(uri.resolve("/invocations")).timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("router.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static long count(InputStream body) {
        try (body) {
            byte[] buffer = new byte[256 * 1024];
            long total = 0;
            for (int n; (n = body.read(buffer)) >= 0; ) {
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long rssKib(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst().orElse(-1);
    }

    private void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || router != null && !router.isAlive() && !condition.getAsBoolean()) {
                throw new AssertionError("timed out waiting until " + what + "; the router printed:\n" + log());
            }
            Thread.sleep(50);
        }
    }
}
