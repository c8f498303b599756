package io.jenkins.plugins.mlops.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.deploy.rollout.CanaryRolloutParameters;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A step's parameters read alike whatever the front end handed over: the text the CLI and
 * Jenkins' text fields give, the numbers and lists of mlops.yaml and Jenkins' number fields.
 */
class ParameterCatalogueTest {

    @Test
    void textAndTypedValuesReadTheSame() {
        CanaryRolloutParameters fromText = CanaryRolloutParameters.builder().set("steps", "10, 50").set("minRequests", "40")
                .set("maxErrorRate", "0.02").set("stepDuration", "2m").set("stable", "http://127.0.0.1:9").build();
        CanaryRolloutParameters fromYaml = CanaryRolloutParameters.builder().set("steps", List.of(10, 50)).set("minRequests", 40)
                .set("maxErrorRate", 0.02).set("stepDuration", 120).set("stable", "http://127.0.0.1:9").build();

        assertThat(fromText).isEqualTo(fromYaml);
        assertThat(fromText.config().steps()).containsExactly(10, 50, 100);
        assertThat(fromText.config().stepDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(fromText.config().interval()).as("a quarter of the step").isEqualTo(Duration.ofSeconds(30));
        assertThat(fromText.config().policy().minRequests()).isEqualTo(40);
        assertThat(fromText.stable()).isEqualTo(URI.create("http://127.0.0.1:9"));
    }

    @Test
    void absentAndBlankValuesTakeTheCataloguesDefaults() {
        CanaryRolloutParameters defaults = CanaryRolloutParameters.builder().set("listen", " ").set("metric", List.of()).build();

        assertThat(defaults.backend()).isEqualTo("embedded");
        assertThat(defaults.listen()).isEqualTo("127.0.0.1:8080");
        assertThat(defaults.config().steps()).containsExactly(5, 25, 50, 100);
        assertThat(defaults.config().maxWait()).as("the step duration").isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.config().metrics()).isEmpty();
        assertThat(defaults.replayRate()).isEqualTo(20.0);
    }

    @Test
    void aBadValueGetsOneMessageWhicheverFrontEndSentIt() {
        assertThatThrownBy(() -> CanaryRolloutParameters.builder().set("minRequests", 1.5).build())
                .isInstanceOf(BadInputException.class).hasMessage("--min-requests: '1.5' is not a whole number");
        assertThatThrownBy(() -> CanaryRolloutParameters.builder().set("minRequests", "1.5").build())
                .isInstanceOf(BadInputException.class).hasMessage("--min-requests: '1.5' is not a whole number");
        assertThatThrownBy(() -> CanaryRolloutParameters.builder().set("steps", List.of(5, "half")).build())
                .hasMessage("--steps: '[5, half]' is not a list of percentages like 5,25,50,100");
        assertThatThrownBy(() -> CanaryRolloutParameters.builder().set("backend", "GPU").build())
                .hasMessage("--backend: 'GPU' is not one of embedded, istio, kserve");
        assertThatThrownBy(() -> CanaryRolloutParameters.builder().set("stable", "127.0.0.1:9").build())
                .hasMessage("--stable: '127.0.0.1:9' is not a URL like http://host:8080");
        assertThatThrownBy(() -> CanaryRolloutParameters.builder().set("stepDuration", "soon").build())
                .hasMessageStartingWith("--step-duration: 'soon'");
        assertThatThrownBy(() -> CanaryRolloutParameters.builder().set("steps", "50,20").build())
                .hasMessageContaining("--steps must increase");
    }

    @Test
    void aNameOutsideTheCatalogueIsAProgrammingError() {
        assertThatThrownBy(() -> CanaryRolloutParameters.builder().set("stepDurations", "1m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canaryRollout has no parameter stepDurations");
    }

    @Test
    void namesAreSpelledOnceForEveryFrontEnd() {
        Parameter stepDuration = CanaryRolloutParameters.CATALOGUE.parameter("stepDuration");

        assertThat(stepDuration.key()).isEqualTo("step-duration");
        assertThat(stepDuration.option()).isEqualTo("--step-duration");
        assertThat(CanaryRolloutParameters.CATALOGUE.byKey("step-duration")).contains(stepDuration);
        assertThat(CanaryRolloutParameters.CATALOGUE.names(FrontEnd.YAML)).doesNotContain("virtualService").contains("stable");
    }
}
