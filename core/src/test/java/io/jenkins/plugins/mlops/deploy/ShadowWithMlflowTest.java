package io.jenkins.plugins.mlops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.log.PayloadMode;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.deploy.shadow.CompareMode;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowConfig;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowPanels;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowResult;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowStep;
import io.jenkins.plugins.mlops.report.ReportWriter;
import io.jenkins.plugins.mlops.result.Status;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** shadowDeploy against real MLflow scoring servers over real scikit-learn models, and its faults. */
class ShadowWithMlflowTest {
    private static final Duration MIRROR_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path models;

    static ServedModels served;
    static ModelServer primary;
    static ModelServer shadow;
    static List<String> bodies;
    static double expectedAgreement;

    @TempDir
    Path dir;

    @BeforeAll
    static void serveModels() throws Exception {
        served = ServedModels.start(models);
        primary = served.primary();
        shadow = served.shadow();
        bodies = served.bodies();
        expectedAgreement = Double.parseDouble(Files.readString(models.resolve("expected_agreement.txt")));
    }

    @AfterAll
    static void stopModels() {
        if (served != null) {
            served.close();
        }
    }

    private ShadowConfig config(Long requests, String log, Path replay, double maxDisagreement, String listen) {
        return new ShadowConfig(URI.create(primary.url()), URI.create(shadow.url()), listen, requests,
                Duration.ofMinutes(5), log, PayloadMode.FULL, CompareMode.AUTO, 1e-6, maxDisagreement, 0.01, 100, replay,
                "/invocations", 1024, Duration.ofSeconds(10));
    }

    @Test
    void comparesTwoRealModelsRowByRowAsScikitLearnDoes() throws Exception {
        String log = "jdbc:sqlite:" + dir.resolve("predictions.db");
        ShadowResult result = ShadowStep.run(config(null, log, models.resolve("requests.jsonl"), 0.01, "127.0.0.1:0"),
                new Properties(), System.err::println);

        assertThat(result.requests()).isEqualTo(40);
        assertThat(result.compared()).isEqualTo(40);
        assertThat(result.rows()).isEqualTo(160);
        // The same share scikit-learn computes from both models' predict() on the same rows.
        assertThat(result.agreement()).isCloseTo(expectedAgreement, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(result.agreementLow()).isLessThan(result.agreement());
        assertThat(result.agreementHigh()).isGreaterThanOrEqualTo(result.agreement());
        assertThat(result.status()).isEqualTo(expectedAgreement >= 0.99 ? Status.PASS : Status.FAIL);
        assertThat(result.distribution().kind()).isEqualTo("numeric");
        assertThat(result.distribution().primary().stream().mapToLong(Long::longValue).sum()).isEqualTo(160);
        assertThat(result.worst()).hasSize((int) Math.min(10, result.rows() - result.agreeingRows()));
        assertThat(result.primaryLatency().count()).isEqualTo(40);
        assertThat(result.shadowLatency().count()).isEqualTo(40);
        assertThat(result.log().written()).isEqualTo(80);
        assertThat(result.log().lost()).isZero();

        // Clients got the primary's answer byte for byte: what the log holds is what the primary says directly.
        String direct = Http.post(URI.create(primary.url()), "/invocations", bodies.get(0), Map.of()).body();
        try (Connection db = DriverManager.getConnection(log); Statement sql = db.createStatement();
                ResultSet first = sql.executeQuery("SELECT response FROM mlops_predictions WHERE variant = 'primary'"
                        + " ORDER BY received_at LIMIT 1")) {
            assertThat(first.next()).isTrue();
            assertThat(first.getString(1)).isEqualTo(direct);
        }

        Path report = ReportWriter.write(dir.resolve("report"), "shadow", result, "Shadow deployment", ShadowPanels.panels(result));
        assertThat(Files.readString(report)).contains("\"schema\" : \"mlops.shadow/v1\"").contains("\"agreement\"");
        String html = Files.readString(dir.resolve("report/shadow.html"));
        assertThat(html).contains("<svg").contains("Largest differences").contains("p99").doesNotContain("<script");
    }

    @Test
    void aHangingShadowDoesNotDelayThePrimary() {
        double[] alone = primaryLatencies(null);
        try (FaultyServer hanging = FaultyServer.start(0).mode(FaultyServer.Mode.HANG)) {
            double[] mirrored = primaryLatencies(URI.create(hanging.url()));
            System.err.printf("primary p99 alone %.2f ms, with a hanging shadow %.2f ms%n", p99(alone), p99(mirrored));
            // Decided on events, not on speed (a busy machine makes any p99 comparison flaky): the mirror queue
            // filled and the rest were dropped (checked in primaryLatencies), and no primary answer waited for the
            // shadow, which would have cost it the mirror's whole timeout, as the shadow answers nothing before it.
            assertThat(Arrays.stream(mirrored).max().orElseThrow()).isLessThan(MIRROR_TIMEOUT.toMillis());
        }
    }

    /** 200 requests through a router in front of the real primary; with a mirror that never answers when given. */
    private double[] primaryLatencies(URI mirror) {
        RouterConfig.Builder builder = RouterConfig.builder().listen("127.0.0.1", 0).variant("primary", primary.url())
                .mirrorQueue(16).mirrorTimeout(MIRROR_TIMEOUT);
        if (mirror != null) {
            builder.mirror(mirror);
        }
        try (Router router = Router.start(builder.build())) {
            String expected = Http.post(URI.create(primary.url()), "/invocations", bodies.get(1), Map.of()).body();
            double[] latencies = new double[200];
            for (int i = 0; i < latencies.length; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = Http.post(router.uri(), "/invocations", bodies.get(1), Map.of());
                latencies[i] = (System.nanoTime() - start) / 1e6;
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(expected);
            }
            if (mirror != null) {
                assertThat(router.mirrorStats().sent()).isEqualTo(16);
                assertThat(router.mirrorStats().dropped()).isEqualTo(200 - 16);
                assertThat(router.scrape()).contains("mlops_router_mirror_total{outcome=\"dropped\"} 184.0");
            }
            return latencies;
        }
    }

    private static double p99(double[] latencies) {
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.99 * sorted.length) - 1];
    }

    @Test
    void postgresStoppedAndStartedMidShadowLosesNoAcknowledgedRow() throws Exception {
        try (Postgres postgres = Postgres.start()) {
            int port = ModelServer.freePort();
            CompletableFuture<ShadowResult> run = CompletableFuture.supplyAsync(() -> ShadowStep.run(
                    config(60L, postgres.jdbcUrl(), null, 1.0, "127.0.0.1:" + port), new Properties(), System.err::println));
            URI router = URI.create("http://127.0.0.1:" + port);
            awaitListening(router, run);
            for (int i = 0; i < 60; i++) {
                if (i == 20) {
                    postgres.stopServer();
                }
                if (i == 40) {
                    postgres.startServer();
                }
                HttpResponse<String> response = Http.post(router, "/invocations", bodies.get(i % bodies.size()),
                        Map.of("X-Request-Id", "pg-" + i));
                assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
            }
            ShadowResult result = run.get(3, TimeUnit.MINUTES);
            assertThat(result.mirror().sent()).isEqualTo(60);
            assertThat(result.log().failedWrites()).as("writes failed while the database was down").isPositive();
            assertThat(result.log().lost()).isZero();
            assertThat(result.log().accepted()).isEqualTo(120);
            assertThat(result.log().written()).isEqualTo(120);
            try (Connection db = DriverManager.getConnection(postgres.jdbcUrl()); Statement sql = db.createStatement()) {
                assertThat(RouterTest.count(sql, "SELECT count(*) FROM mlops_predictions WHERE NOT mirrored")).isEqualTo(60);
                assertThat(RouterTest.count(sql, "SELECT count(*) FROM mlops_predictions WHERE mirrored")).isEqualTo(60);
                assertThat(RouterTest.count(sql, "SELECT count(DISTINCT request_id) FROM mlops_predictions"
                        + " WHERE request_id LIKE 'pg-%'")).isEqualTo(60);
            }
        }
    }

    private static void awaitListening(URI router, CompletableFuture<?> run) throws InterruptedException {
        for (int i = 0; i < 600 && !run.isDone(); i++) {
            try {
                if (Http.get(router, "/metrics", Map.of()).statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                Thread.sleep(100);
            }
        }
        run.join();
    }
}
