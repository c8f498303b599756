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
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
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
}
