package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * Every malformed file of {@link BadInputTest} is the same bad input on the arrow engine: an error
 * DuckDB raises while a batch is exported (a ragged row 30,000 lines down) names the file and line
 * as a query's error does. And the engine's name is checked as the others are.
 */
class ArrowBadInputTest extends BadInputTest {
    @Override
    EngineSettings settings() {
        return EngineSettings.of(EngineSettings.DEFAULT.memoryLimit(), 0, EngineSettings.ARROW, null);
    }

    @Test
    void theArrowEngineIsNamedAndTakesNoSparkRemote() {
        assertThat(settings().engineName()).isEqualTo(EngineSettings.ARROW);
        assertThat(EngineSettings.of("2GB", 0, " Arrow ", null).engineName()).isEqualTo(EngineSettings.ARROW);
        assertThatThrownBy(() -> EngineSettings.of("2GB", 0, "arrow", "sc://spark:15002")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("--spark-remote: only with --engine spark");
    }
}
