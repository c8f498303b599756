package io.jenkins.plugins.mlops.deploy.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The judge's windows keep what their bounds say, however many requests pass: flat in requests. */
class VariantWindowsTest {
    private static final int SLOTS = 10_000;
    private static final int BODY_BYTES = 64 * 1024;
    private static final int PREDICTIONS = 4096;

    private static Exchange exchange(String variant, long at, int status) {
        byte[] body = ("{\"predictions\": [" + at + "]}").getBytes(StandardCharsets.UTF_8);
        return new Exchange("r" + at, variant, at, status, at % 100, new byte[0], body, body.length, false);
    }

    private static VariantWindow all(VariantWindows windows, String variant) {
        return windows.observe(variant, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2));
    }

    @Test
    void twoHundredThousandRequestsKeepTheBoundedRingsAndTheNewestObservations() {
        VariantWindows windows = new VariantWindows(SLOTS, BODY_BYTES, PREDICTIONS);
        VariantWindows.Footprint afterFirstFill = null;
        for (long at = 1; at <= 200_000; at++) {
            Exchange e = exchange("a", at, at % 10 == 0 ? 503 : 200);
            windows.record(e, e.response());
            if (at == 2 * SLOTS) {
                afterFirstFill = windows.footprint("a");
            }
        }
        VariantWindows.Footprint end = windows.footprint("a");
        // Flat: once the rings are full, 180,000 more requests grow nothing.
        assertThat(end).isEqualTo(afterFirstFill);
        assertThat(end.observations()).isEqualTo(SLOTS);
        assertThat(end.slots()).isEqualTo(SLOTS);
        assertThat(end.bodyBytes()).isEqualTo(BODY_BYTES);
        assertThat(end.predictions()).isZero();

        VariantWindow window = all(windows, "a");
        assertThat(window.requests()).isEqualTo(SLOTS);
        assertThat(window.errors()).isEqualTo(SLOTS / 10);
        // Every count and latency is kept; predictions only of the answers whose bytes the body ring still holds,
        // the newest ones, each as it was written (a wrapped copy reads back whole).
        int bodyLength = exchange("a", 200_000, 200).response().length;
        int withBytes = BODY_BYTES / bodyLength;
        assertThat(window.predictions()).hasSize(withBytes);
        for (int i = 0; i < withBytes; i++) {
            assertThat(window.predictions()[i]).isEqualTo(200_000 - withBytes + 1 + i);
        }
        VariantWindow recent = windows.observe("a", Instant.ofEpochMilli(199_991), Instant.ofEpochMilli(200_001));
        assertThat(recent.requests()).isEqualTo(10);
        assertThat(recent.errors()).isEqualTo(1);
        assertThat(recent.predictions()).containsExactly(199_991, 199_992, 199_993, 199_994, 199_995, 199_996, 199_997,
                199_998, 199_999, 200_000);
    }

    @Test
    void parsedPredictionsWrapTheirOwnBoundedRing() {
        VariantWindows windows = new VariantWindows(SLOTS, BODY_BYTES, PREDICTIONS);
        for (long at = 1; at <= 200_000; at++) {
            windows.record(exchange("b", at, 200), new double[] {at, -at});
        }
        VariantWindows.Footprint end = windows.footprint("b");
        assertThat(end).isEqualTo(new VariantWindows.Footprint(SLOTS, SLOTS, 0, PREDICTIONS));
        VariantWindow window = all(windows, "b");
        assertThat(window.requests()).isEqualTo(SLOTS);
        assertThat(window.predictions()).hasSize(PREDICTIONS);
        assertThat(window.predictions()[PREDICTIONS - 2]).isEqualTo(200_000);
        assertThat(window.predictions()[PREDICTIONS - 1]).isEqualTo(-200_000);
    }

    @Test
    void aFewRequestsTakeLittleAndFailuresKeepNoAnswer() {
        VariantWindows windows = new VariantWindows(200_000);
        windows.record(exchange("c", 5, 200), exchange("c", 5, 200).response());
        windows.record(exchange("c", 6, 0), null);
        assertThat(windows.footprint("c")).isEqualTo(new VariantWindows.Footprint(2, 1024, 1024, 0));
        VariantWindow window = all(windows, "c");
        assertThat(window.requests()).isEqualTo(2);
        assertThat(window.errors()).isEqualTo(1);
        assertThat(window.predictions()).containsExactly(5.0);
        assertThat(windows.footprint("none")).isEqualTo(new VariantWindows.Footprint(0, 0, 0, 0));
    }
}
