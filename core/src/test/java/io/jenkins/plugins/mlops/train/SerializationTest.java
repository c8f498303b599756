package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In Jenkins a step runs on the agent (FilePath.act): its config and result travel serialised. */
class SerializationTest {

    @Test
    void configsAndResultsSurviveTheTripToTheAgentAndBack() throws Exception {
        SmokeTrainConfig smoke = new SmokeTrainConfig("data.csv", 100, 2, Duration.ofMinutes(5), 1L << 30, "label", 42, null,
                List.of("{out}/model.pkl"), "/ws", List.of("python", "train.py"));
        TrainConfig train = new TrainConfig(TrainBackend.KUBERNETES, List.of("python", "train.py"), 1, "Tesla-T4", "img:1",
                "4", "16Gi", "8Gi", Duration.ofHours(6), 3, "ml", "churn", Map.of("A", "b"),
                List.of(SecretEnv.parse("T=s:k")), null, Duration.ofMinutes(10));
        JobRun run = new JobRun("churn-abcde", "ml", AttemptOutcome.SUCCEEDED, "ok", List.of(new TrainAttempt("p", "n",
                "Tesla-T4", Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, AttemptOutcome.SUCCEEDED, 0, null, null, 0, 1)),
                List.of("line"), new Failure(FailureKind.CRASH, "x", List.of("y")));

        assertThat(roundTrip(smoke)).isEqualTo(smoke);
        assertThat(roundTrip(train)).isEqualTo(train);
        assertThat(roundTrip(train.podSpec("churn-abcde"))).isEqualTo(train.podSpec("churn-abcde"));
        assertThat(roundTrip(run)).isEqualTo(run);
        assertThat(roundTrip(new DataSample("d.csv", 10, 5, "y", Map.of("a", 3L, "b", 2L), 1)).rowsPerLabel())
                .containsEntry("a", 3L);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
