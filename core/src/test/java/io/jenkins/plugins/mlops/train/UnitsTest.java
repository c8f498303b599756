package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sizes and durations as users type them in Jenkinsfiles and on the command line. */
class UnitsTest {

    @Test
    void sizesReadDockerAndKubernetesSpellings() {
        assertThat(ByteSize.parse("2g", "--memory")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("2Gi", "--memory")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("512m", "--memory")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("1.5G", "--memory")).isEqualTo(3L << 29);
        assertThat(ByteSize.parse("4096", "--memory")).isEqualTo(4096);
        assertThat(ByteSize.format(3L << 29)).isEqualTo("1.5 GiB");
        assertThat(ByteSize.format(512)).isEqualTo("512 B");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "-1g", "0", "2 x", "99999999999t"})
    void badSizesNameTheOption(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text, "--memory"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--memory");
    }

    @Test
    void durationsReadShortAndIsoForms() {
        assertThat(Durations.parse("90s", "--timeout")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("5m", "--timeout")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h30m", "--timeout")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("250ms", "--timeout")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("PT2H", "--timeout")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("30", "--timeout")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofMillis(2500))).isEqualTo("2.5s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "5 minutes", "0s", "-5m", "PTX"})
    void badDurationsNameTheOption(String text) {
        assertThatThrownBy(() -> Durations.parse(text, "--timeout"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--timeout");
    }
}
