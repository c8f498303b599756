package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A validation's drift travels serialised: from the agent to the controller, and into the build's
 * saved Pipeline state. Its chart bars were {@code subList} views, which Java cannot serialise.
 */
class DriftSerializationTest {
    private static final Path CHURN = Path.of("..", "examples", "churn", "data");

    @Test
    void theDriftOfTheChurnTablesSurvivesJavaSerialisation() throws Exception {
        try (ScanEngine engine = ScanEngine.open(EngineSettings.DEFAULT)) {
            Profile reference = new Profiler(engine, line -> { }).profile(DataSource.resolve(CHURN.resolve("reference.csv").toString()));
            Profile drifted = new Profiler(engine, line -> { }).profile(DataSource.resolve(CHURN.resolve("drifted.csv").toString()));
            Schema schema = SchemaInference.infer(reference);
            List<ColumnDrift> drift = new DriftDetector(schema.driftThresholds()).compare(reference, drifted, schema);
            assertThat(drift).anySatisfy(column -> assertThat(column.column()).isEqualTo("payment_method"));
            for (ColumnDrift column : drift) {
                assertThat(roundTrip(column)).isEqualTo(column);
            }
        }
    }

    private static Object roundTrip(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
