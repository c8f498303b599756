package io.jenkins.plugins.mlops.deploy.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.mlops.deploy.router.Exchange;
import io.jenkins.plugins.mlops.deploy.router.MirrorStats;
import io.jenkins.plugins.mlops.result.Status;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Row-by-row comparison and the policy's verdicts, on answers as model servers send them. */
class ShadowComparisonTest {
    private static final String REQUEST = "{\"instances\": [[1], [2], [3], [4]]}";

    private static Exchange answer(String variant, int status, String body, double latency) {
        return new Exchange("id-" + body.hashCode(), variant, 0, status, latency, REQUEST.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8).length, !"primary".equals(variant));
    }

    private static void pair(ShadowComparison comparison, String primary, String shadow) {
        Exchange p = answer("primary", 200, primary, 10);
        comparison.onExchange(p);
        comparison.onMirrored(p, answer("shadow", 200, shadow, 12));
    }

    private static ShadowConfig config(double maxDisagreement) {
        return new ShadowConfig(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"), "127.0.0.1:0", null,
                Duration.ofSeconds(1), null, null, CompareMode.AUTO, 0.01, maxDisagreement, 0.5, 2.0, null, null, 16,
                Duration.ofSeconds(1));
    }

    @Test
    void numbersAgreeWithinTheToleranceRowByRow() {
        ShadowComparison comparison = new ShadowComparison(CompareMode.AUTO, 0.01);
        pair(comparison, "{\"predictions\": [0.10, 0.20, 0.30, 0.40]}", "{\"predictions\": [0.105, 0.20, 0.50, 0.40]}");
        ShadowComparison.Snapshot seen = comparison.snapshot();
        assertThat(seen.rows()).isEqualTo(4);
        assertThat(seen.agreeing()).isEqualTo(3);
        assertThat(seen.maxDifference()).isCloseTo(0.2, within(1e-12));
        assertThat(seen.meanDifference()).isCloseTo((0.005 + 0.2) / 4, within(1e-12));
        assertThat(seen.worst().get(0).row()).isEqualTo(2);
        assertThat(seen.worst().get(0).input()).isEqualTo("[3]");
    }

    @Test
    void labelsCompareByValueAndAMissingRowDisagrees() {
        ShadowComparison comparison = new ShadowComparison(CompareMode.LABEL, 0);
        pair(comparison, "{\"predictions\": [1, 0, \"cat\", 1]}", "{\"predictions\": [1.0, 1, \"cat\"]}");
        ShadowComparison.Snapshot seen = comparison.snapshot();
        assertThat(seen.rows()).isEqualTo(4);
        assertThat(seen.agreeing()).isEqualTo(2);
        assertThat(seen.distribution().kind()).isEqualTo("label");
        assertThat(seen.worst()).extracting(Example::shadow).contains("(no row)");
    }

    @Test
    void shadowFailuresCountAsErrorsNotAsDisagreement() {
        ShadowComparison comparison = new ShadowComparison(CompareMode.AUTO, 0);
        Exchange p = answer("primary", 200, "{\"predictions\": [1, 1, 1, 1]}", 10);
        comparison.onExchange(p);
        comparison.onMirrored(p, answer("shadow", 503, "{\"error\": \"down\"}", 2));
        comparison.onMirrored(p, answer("shadow", 0, "", 10_000));
        ShadowComparison.Snapshot seen = comparison.snapshot();
        assertThat(seen.shadowErrors()).isEqualTo(2);
        assertThat(seen.rows()).isZero();
        ShadowResult result = ShadowStep.result(config(0.05), Instant.now(), seen, new MirrorStats(2, 2, 0, 0), null);
        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.checks()).filteredOn(c -> c.name().equals("shadow_error_rate")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(Status.FAIL));
    }

    @Test
    void thePolicyPassesWithinItsLimitsAndFailsBeyond() {
        ShadowComparison comparison = new ShadowComparison(CompareMode.AUTO, 0.01);
        for (int i = 0; i < 25; i++) {
            pair(comparison, "{\"predictions\": [1, 2, 3, 4]}", i == 0 ? "{\"predictions\": [1, 2, 3, 9]}" : "{\"predictions\": [1, 2, 3, 4]}");
        }
        ShadowComparison.Snapshot seen = comparison.snapshot();
        MirrorStats mirror = new MirrorStats(25, 0, 3, 0);
        ShadowResult lenient = ShadowStep.result(config(0.05), Instant.now(), seen, mirror, null);
        assertThat(lenient.agreement()).isEqualTo(99.0 / 100);
        assertThat(lenient.status()).isEqualTo(Status.WARN); // dropped mirrors are reported, not hidden
        assertThat(lenient.agreementLow()).isCloseTo(0.9455, within(1e-3)); // Wilson, 99 of 100
        assertThat(ShadowStep.result(config(0.001), Instant.now(), seen, mirror, null).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void wilsonIntervalsMatchTheTextbook() {
        double[] half = ShadowStep.wilson(50, 100);
        assertThat(half[0]).isCloseTo(0.4038, within(1e-4));
        assertThat(half[1]).isCloseTo(0.5962, within(1e-4));
        double[] all = ShadowStep.wilson(10, 10);
        assertThat(all[1]).isEqualTo(1.0);
        assertThat(all[0]).isCloseTo(0.7225, within(1e-4));
    }
}
