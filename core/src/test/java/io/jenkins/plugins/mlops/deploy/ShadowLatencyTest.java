package io.jenkins.plugins.mlops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.router.Exchange;
import io.jenkins.plugins.mlops.deploy.router.ExchangeListener;
import io.jenkins.plugins.mlops.deploy.router.MirrorStats;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowParameters;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowResult;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowStep;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shadow judged like for like: its copies go through the same netty path as the primary's
 * requests and are timed the same way, so with the step's default limit an identical shadow
 * passes and a slow one does not; and a shadow that misbehaves never changes what clients get.
 * The model servers take a fixed service time, long against a busy machine's scheduling noise.
 */
class ShadowLatencyTest {
    private static final String BODY = "{\"dataframe_split\": {\"columns\": [\"x\"], \"data\": [[1.0], [2.0]]}}";
    /** Long against a busy 2-core machine's hiccups: one of 30 copies at load 14 took 163 ms of a 50 ms service. */
    private static final long SERVICE_MILLIS = 100;
    private static final long STALL_MILLIS = 3_000;

    @TempDir
    Path dir;

    @Test
    void anIdenticalShadowIsNotJudgedSlowWithTheDefaultLimit() throws Exception {
        try (FaultyServer primary = FaultyServer.start(0.25).delay(SERVICE_MILLIS);
                FaultyServer shadow = FaultyServer.start(0.25).delay(SERVICE_MILLIS)) {
            ShadowResult result = shadowStep(primary, shadow, 40);
            System.err.printf("identical shadow: primary %s%n  shadow %s%n", result.primaryLatency(), result.shadowLatency());

            assertThat(result.mirror()).isEqualTo(new MirrorStats(40, 0, 0, 0));
            assertThat(result.primaryLatency().count()).isEqualTo(40);
            assertThat(result.shadowLatency().count()).isEqualTo(40);
            assertThat(latencyCheck(result).status()).as("%s", latencyCheck(result)).isEqualTo(Status.PASS);
            // The medians agree too (the p95 is one of the highest three of 40, where a fresh router's first
            // request, the primary's, loads and compiles the path the copies then run warm).
            assertThat(result.shadowLatency().p50Ms() / result.primaryLatency().p50Ms()).as("%s %s", result.primaryLatency(),
                    result.shadowLatency()).isBetween(0.67, 1.5);
            assertThat(result.shadowLatency().p50Ms()).isGreaterThanOrEqualTo(SERVICE_MILLIS);
            assertThat(result.status()).as(result.summary()).isEqualTo(Status.PASS);
        }
    }

    @Test
    void aShadowFourTimesSlowerIsJudgedSlow() throws Exception {
        try (FaultyServer primary = FaultyServer.start(0.25).delay(SERVICE_MILLIS);
                FaultyServer shadow = FaultyServer.start(0.25).delay(4 * SERVICE_MILLIS)) {
            ShadowResult result = shadowStep(primary, shadow, 20);

            assertThat(result.mirror()).isEqualTo(new MirrorStats(20, 0, 0, 0));
            assertThat(result.shadowLatency().count()).isEqualTo(20);
            assertThat(result.shadowLatency().p50Ms()).isGreaterThanOrEqualTo(4 * SERVICE_MILLIS);
            assertThat(latencyCheck(result).status()).as("%s", latencyCheck(result)).isEqualTo(Status.FAIL);
            assertThat(result.status()).isEqualTo(Status.FAIL);
        }
    }

    /** The step as a user runs it, with every default but the replay and the log. */
    private ShadowResult shadowStep(FaultyServer primary, FaultyServer shadow, int requests) throws Exception {
        Files.writeString(dir.resolve("requests.jsonl"), (BODY + "\n").repeat(requests));
        ShadowParameters parameters = ShadowParameters.builder().set("primary", primary.url()).set("shadow", shadow.url())
                .set("listen", "127.0.0.1:0").set("replay", "requests.jsonl").set("log", "none").build();
        assertThat(parameters.maxLatencyRatio()).as("the default limit").isEqualTo(1.5);
        return ShadowStep.run(parameters.config(dir), new Properties(), System.err::println);
    }

    private static Check latencyCheck(ShadowResult result) {
        return result.checks().stream().filter(check -> check.name().equals("latency_ratio")).findFirst().orElseThrow();
    }

    /**
     * A shadow that stops answering, is down, is slow or fails: every client gets the primary's
     * answer, the primary counts no error, and no answer waited for the shadow (which would have
     * cost it the shadow's whole delay or the mirror timeout, {@value #STALL_MILLIS} ms, as nothing
     * of the shadow's comes sooner); every copy is sent and recorded, as a failure but when slow.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hanging", "down", "slow", "failing"})
    void aShadowThatMisbehavesDoesNotChangeThePrimarysAnswersOrErrors(String fault) throws Exception {
        List<Exchange> primaries = new CopyOnWriteArrayList<>();
        List<Exchange> copies = new CopyOnWriteArrayList<>();
        try (FaultyServer primary = FaultyServer.start(0.25); FaultyServer shadow = FaultyServer.start(0.75)) {
            String shadowUrl = shadow.url();
            switch (fault) {
                case "hanging" -> shadow.mode(FaultyServer.Mode.HANG);
                case "down" -> shadow.close();
                case "slow" -> shadow.delay(STALL_MILLIS);
                default -> shadow.mode(FaultyServer.Mode.ERROR);
            }
            // A slow shadow answers within the mirror timeout; a hanging one only the timeout ends.
            Duration mirrorTimeout = Duration.ofMillis(fault.equals("slow") ? 4 * STALL_MILLIS : STALL_MILLIS);
            String expected = Http.post(URI.create(primary.url()), "/invocations", BODY, Map.of()).body();
            try (Router router = Router.start(RouterConfig.builder().listen("127.0.0.1", 0).variant("primary", primary.url())
                    .mirror(URI.create(shadowUrl)).mirrorTimeout(mirrorTimeout).build())) {
                router.addListener(new ExchangeListener() {
                    @Override
                    public void onExchange(Exchange exchange) {
                        primaries.add(exchange);
                    }

                    @Override
                    public void onMirrored(Exchange primaryExchange, Exchange copy) {
                        copies.add(copy);
                    }
                });
                for (int i = 0; i < 20; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> answer = Http.post(router.uri(), "/invocations", BODY, Map.of("X-Request-Id", "f-" + i));
                    assertThat((System.nanoTime() - start) / 1_000_000).as("request %d waited for the shadow", i)
                            .isLessThan(STALL_MILLIS);
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.body()).isEqualTo(expected);
                }
                assertThat(router.awaitQuiet(Duration.ofSeconds(60))).isTrue();
                MirrorStats mirror = router.mirrorStats();
                assertThat(primaries).hasSize(20).noneMatch(Exchange::failed);
                assertThat(mirror.sent()).isEqualTo(20);
                assertThat(mirror.dropped()).isZero();
                assertThat(mirror.inFlight()).isZero();
                assertThat(copies).hasSize(20);
                if (fault.equals("slow")) {
                    assertThat(mirror.failed()).isZero();
                    assertThat(copies).allSatisfy(copy -> assertThat(copy.status()).isEqualTo(200));
                } else {
                    assertThat(mirror.failed()).isEqualTo(mirror.sent());
                    assertThat(copies).allSatisfy(copy -> assertThat(copy.failed()).isTrue());
                }
            }
        }
    }

    /**
     * A shadow whose server closes a kept-alive connection as a copy arrives on it (here every
     * connection's second request: the race of an idle keep-alive running out) loses no copy: the
     * copy, unanswered, goes once more on a fresh connection, as the primary's goes to its fallback.
     */
    @Test
    void aCopyOnAKeptAliveConnectionTheShadowClosedIsSentAgain() throws Exception {
        try (FaultyServer primary = FaultyServer.start(0.25); OneRequestServer shadow = new OneRequestServer();
                Router router = Router.start(RouterConfig.builder().listen("127.0.0.1", 0).variant("primary", primary.url())
                        .mirror(URI.create(shadow.url())).mirrorTimeout(Duration.ofSeconds(30)).build())) {
            for (int i = 0; i < 10; i++) {
                assertThat(Http.post(router.uri(), "/invocations", BODY, Map.of()).statusCode()).isEqualTo(200);
            }
            assertThat(router.awaitQuiet(Duration.ofSeconds(60))).isTrue();

            assertThat(router.mirrorStats()).isEqualTo(new MirrorStats(10, 0, 0, 0));
            assertThat(shadow.answered.get()).isEqualTo(10);
            assertThat(shadow.closedUnanswered.get()).as("copies that met a closing connection").isPositive();
        }
    }

    /**
     * The same race on the primary, which has no fallback here: a request that met a kept-alive
     * connection closing goes once more on a fresh one, so the client gets its answer, not a 502,
     * and the variant is not charged with a failure the model never had.
     */
    @Test
    void aRequestOnAKeptAliveConnectionTheModelClosedIsSentAgain() throws Exception {
        try (OneRequestServer model = new OneRequestServer();
                Router router = Router.start(RouterConfig.builder().listen("127.0.0.1", 0).variant("primary", model.url()).build())) {
            for (int i = 0; i < 10; i++) {
                assertThat(Http.post(router.uri(), "/invocations", BODY, Map.of()).statusCode()).as("request %d", i).isEqualTo(200);
            }
            assertThat(model.answered.get()).isEqualTo(10);
            assertThat(model.closedUnanswered.get()).as("requests that met a closing connection").isPositive();
        }
    }

    /** Answers the first request of each connection, and closes it on the second, unanswered. */
    private static final class OneRequestServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger answered = new AtomicInteger();
        private final AtomicInteger closedUnanswered = new AtomicInteger();

        OneRequestServer() throws IOException {
            Thread acceptor = new Thread(this::accept, "one-request-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    Thread server = new Thread(() -> serve(connection), "one-request-connection");
                    server.setDaemon(true);
                    server.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = connection.getInputStream();
                readRequest(in);
                byte[] body = "{\"predictions\": [0.25, 0.25]}".getBytes(StandardCharsets.US_ASCII);
                OutputStream out = connection.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                answered.incrementAndGet();
                if (readRequest(in)) {
                    closedUnanswered.incrementAndGet();
                }
            } catch (IOException e) {
                // The router went away.
            }
        }

        /** Reads one request, head and Content-Length body; false at the end of the stream. */
        private static boolean readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n")) {
                if ((b = in.read()) < 0) {
                    return false;
                }
                head.append((char) b);
            }
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
            in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
            return true;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
