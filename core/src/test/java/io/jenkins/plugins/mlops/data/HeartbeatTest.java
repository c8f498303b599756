package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HeartbeatTest {

    @Test
    void longWorkReportsThatItIsStillRunningAndStopsWhenDone() throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();

        // The work lasts until the heartbeat has spoken twice (bounded), not a fixed 300 ms that a busy
        // machine may spend before the timer thread ever runs.
        String result = Heartbeat.during("scanning x.csv", messages::add, () -> {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (messages.size() < 2 && System.nanoTime() < deadline) {
                sleep(10);
            }
            return "done";
        }, 50);
        int afterWork = messages.size();
        Thread.sleep(200);

        assertThat(result).isEqualTo("done");
        assertThat(afterWork).isGreaterThanOrEqualTo(2);
        assertThat(messages.get(0)).startsWith("  still scanning x.csv (");
        assertThat(messages).hasSize(afterWork);
    }

    @Test
    void shortWorkSaysNothing() {
        List<String> messages = new CopyOnWriteArrayList<>();
        Heartbeat.during("scanning", messages::add, () -> 1, 10_000);
        assertThat(messages).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
