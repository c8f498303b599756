package io.jenkins.plugins.mlops.deploy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.deploy.FaultyServer;
import io.jenkins.plugins.mlops.deploy.TrafficBackend;
import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.metrics.MetricSources;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.traffic.PacedReplay;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus scraping the embedded router's /metrics: the windows Prometheus gives agree
 * with the router's own recorder, PromQL business metrics read per variant, and the client's
 * bounds (bad PromQL, no server, size limit) hold.
 */
class RouterScrapedByPrometheusTest {

    @Test
    void prometheusWindowsOfTheRouterAgreeWithItsRecorder() throws Exception {
        try (FaultyServer stable = FaultyServer.start(0.2); FaultyServer candidate = FaultyServer.start(0.8).mode(FaultyServer.Mode.ERROR);
                Router router = Router.start(RouterConfig.builder().listen("127.0.0.1", 0)
                        .variant(TrafficBackend.STABLE, stable.url()).variant(TrafficBackend.CANDIDATE, candidate.url())
                        .weight(TrafficBackend.STABLE, 50).weight(TrafficBackend.CANDIDATE, 50).build());
                PrometheusServer prometheus = PrometheusServer.start(List.of(router.uri().getAuthority()))) {
            PrometheusClient client = new PrometheusClient(prometheus.url(), Duration.ofSeconds(5), 1 << 20);
            awaitFirstScrape(client);
            Instant from = Instant.now();
            try (PacedReplay load = PacedReplay.start(router.uri().resolve("/invocations"),
                    List.of("{\"inputs\": [[1, 2]]}"), 50, 32, Duration.ofSeconds(10))) {
                Thread.sleep(10_000);
            }
            // The last scrape is an event: Prometheus holds the router's final count, however late it came.
            long servedInAll = router.observe(TrafficBackend.STABLE, from, Instant.now()).requests()
                    + router.observe(TrafficBackend.CANDIDATE, from, Instant.now()).requests();
            awaitScrapeOf(client, servedInAll);
            Instant to = Instant.now();
            PrometheusWindows windows = new PrometheusWindows(client, PrometheusQueries.embeddedRouter(), Duration.ofSeconds(1));
            VariantWindow promStable = windows.observe(TrafficBackend.STABLE, TrafficBackend.STABLE, from, to);
            VariantWindow promCandidate = windows.observe(TrafficBackend.CANDIDATE, TrafficBackend.CANDIDATE, from, to);
            VariantWindow recorded = router.observe(TrafficBackend.STABLE, from, to);
            // increase() extrapolates at the window's edges: agreement within a quarter, not to the request.
            assertThat((double) promStable.requests()).isCloseTo(recorded.requests(), within(recorded.requests() * 0.25));
            assertThat(promStable.errorRate()).isZero();
            assertThat(promCandidate.errorRate()).isCloseTo(1.0, within(0.01));
            assertThat(promStable.latenciesMs()).isNotEmpty();

            MetricSources sources = new MetricSources(null, windows, UnaryOperator.identity());
            BusinessMetric served = BusinessMetric.parse("served=sum(rate(mlops_router_requests_total{variant=\"$variant\"}[4s]))", "--metric");
            double[] rates = sources.requireFor(List.of(served)).values(served, TrafficBackend.STABLE, from.plusSeconds(5), to.minusSeconds(3));
            assertThat(rates).isNotEmpty();
            // Against the rate the router itself recorded there, not the replay's nominal 25/s a busy machine may miss.
            double recordedRate = router.observe(TrafficBackend.STABLE, from.plusSeconds(5), to.minusSeconds(3)).requests()
                    / (double) Duration.between(from.plusSeconds(5), to.minusSeconds(3)).toSeconds();
            assertThat(java.util.Arrays.stream(rates).average().orElseThrow()).isCloseTo(recordedRate, within(recordedRate * 0.5));

            assertThatThrownBy(() -> client.query("sum(rate(", to)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("Prometheus refused the query");
            PrometheusClient tiny = new PrometheusClient(prometheus.url(), Duration.ofSeconds(5), 64);
            assertThatThrownBy(() -> tiny.query("mlops_router_requests_total", to)).isInstanceOf(InfrastructureException.class)
                    .hasMessageContaining("more than 64 bytes");
        }
    }

    /** Waits until Prometheus's sum of the router's request counters reaches {@code served}. */
    private static void awaitScrapeOf(PrometheusClient client, long served) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<PrometheusClient.Series> sum = client.query("sum(mlops_router_requests_total)", Instant.now());
            if (sum.size() == 1 && sum.get(0).values()[0] >= served) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus did not scrape the router's " + served + " requests within 30 s");
    }

    /** increase() counts from a series' first sample: the router must have been scraped before traffic starts. */
    private static void awaitFirstScrape(PrometheusClient client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (client.query("up == 1", Instant.now()).size() == 1) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus did not scrape the router within 30 s");
    }

    @Test
    void anUnreachablePrometheusIsAnInfrastructureFailureWithinTheDeadline() throws Exception {
        URI nobody = URI.create("http://127.0.0.1:" + TestProcesses.freePort());
        long start = System.nanoTime();
        assertThatThrownBy(() -> new PrometheusClient(nobody, Duration.ofSeconds(2), 1024).query("up", Instant.now()))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining("cannot reach Prometheus");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> new MetricSources(null, null, UnaryOperator.identity())
                .requireFor(List.of(BusinessMetric.parse("x=up", "--metric")))).hasMessageContaining("--prometheus");
    }
}
