package io.jenkins.plugins.mlops.deploy.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.FaultyServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacedReplayTest {

    @Test
    void aLimitedReplaySendsExactlyThatManyRequestsAndThenNoMore() throws InterruptedException {
        try (FaultyServer server = FaultyServer.start(0.5);
                PacedReplay replay = PacedReplay.start(URI.create(server.url() + "/invocations"),
                        List.of("{\"inputs\": [[1.0]]}"), 500, 4, Duration.ofSeconds(10), 7)) {
            Instant deadline = Instant.now().plusSeconds(60);
            while (replay.stats().sent() < 7 && Instant.now().isBefore(deadline)) {
                Thread.sleep(10);
            }
            // A hundred ticks later: a replay that had not stopped at its limit would have sent more.
            Thread.sleep(200);

            assertThat(replay.stats().sent()).isEqualTo(7);
            assertThat(server.requests()).isEqualTo(7);
        }
    }
}
