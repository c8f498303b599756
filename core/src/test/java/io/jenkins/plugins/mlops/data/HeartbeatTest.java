package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HeartbeatTest {

    @Test
    void longWorkReportsThatItIsStillRunningAndStopsWhenDone() throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();

        String result = Heartbeat.during("scanning x.csv", messages::add, () -> {
            sleep(300);
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
