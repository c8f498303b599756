package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine spark}'s bad input: options that do not name a server are the user's mistake
 * (exit 2), checked before anything is read; a server that is not there is the infrastructure's
 * (exit 3), named with its address; data Spark cannot read is bad input, named with its path.
 */
class SparkEngineBadInputTest {
    @TempDir
    Path dir;

    @Test
    void sparkWithoutARemoteAnUnknownEngineOrARemoteThatIsNoSparkConnectAddressAreBadInput() {
        assertThatThrownBy(() -> EngineSettings.of("2GB", 0, "spark", null)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("--spark-remote sc://HOST:PORT");
        assertThatThrownBy(() -> EngineSettings.of("2GB", 0, "flink", null)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'flink' is not an engine");
        assertThatThrownBy(() -> EngineSettings.of("2GB", 0, "spark", "http://spark:15002")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("not a Spark Connect address");
        assertThatThrownBy(() -> EngineSettings.of("2GB", 0, "duckdb", "sc://spark:15002")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("only with --engine spark");
        assertThat(EngineSettings.of("2GB", 0, "Spark", "sc://spark:15002").sparkRemote()).isEqualTo("sc://spark:15002");
        assertThat(EngineSettings.of("2GB", 0, null, null).engineName()).isEqualTo("duckdb");
    }

    @Test
    void anUnreachableServerIsAnInfrastructureFailureNamingItsAddress() {
        String remote = "sc://127.0.0.1:" + TestProcesses.freePort(); // nothing listens there
        Path data = TestData.write(dir, "data.csv", ProfilerDatasets.CSV);
        EngineSettings settings = new EngineSettings("2GB", 0, remote);
        assertThatThrownBy(() -> DataProfiling.profile(data.toString(), settings, line -> { }))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining("cannot reach the Spark Connect server at " + remote);
    }

    @Test
    void aMissingPathIsBadInputBeforeTheServerIsAsked() {
        // The server is not there either: the missing path must be reported first, without waiting on it.
        EngineSettings settings = new EngineSettings("2GB", 0, "sc://127.0.0.1:" + TestProcesses.freePort());
        assertThatThrownBy(() -> new DataValidator(line -> { }).validate(new ValidationConfig(dir.resolve("nope.csv").toString(),
                null, null, null, settings))).isInstanceOf(BadInputException.class).hasMessageContaining("data file not found");
    }

    @Test
    void aRowSparkCannotParseIsBadInputNamingTheFile() {
        Path data = TestData.write(dir, "ragged.csv", "a,b\n1,2\n3,x,9\n4,5\n");
        EngineSettings settings = new EngineSettings("2GB", 0, SparkConnectServer.shared().remote());
        assertThatThrownBy(() -> DataProfiling.profile(data.toString(), settings, line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining(data.toString());
    }
}
