package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.mlops.deploy.rollout.CanaryRolloutParameters;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.pipeline.PipelineFile;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every step's command-line options and {@code mlops.yaml} keys name the same parameters; where a
 * step has a parameter catalogue in core, both are exactly the catalogue's. The deliberate
 * differences are listed here, each with its reason. (The Jenkins side is checked in the plugin's
 * StepParametersTest against the same catalogues.)
 */
class ParameterConsistencyTest {
    /** Every command's output options: they shape what the CLI prints, a stage writes its report in the run directory. */
    private static final Set<String> OUTPUT_OPTIONS = Set.of("report", "json", "quiet", "help", "version");

    static Stream<Arguments> steps() {
        return Stream.of(
                // The pipeline serves both models on the embedded router itself: no Kubernetes backend in the stage.
                step("canary", "canary", CanaryRolloutParameters.CATALOGUE,
                        set("backend", "prometheus", "prometheus-step", "namespace", "virtual-service", "host",
                                "stable-subset", "candidate-subset", "inference-service"), set()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void theCommandAndTheStageNameTheSameParameters(String command, String stage, ParameterCatalogue catalogue,
            Set<String> cliOnly, Set<String> yamlOnly) {
        Set<String> options = cliOptions(command);
        Set<String> keys = yamlKeys(stage);

        assertThat(difference(options, keys)).as("options of mlops %s that the %s stage lacks", command, stage)
                .isEqualTo(cliOnly);
        assertThat(difference(keys, options)).as("keys of the %s stage that mlops %s lacks", stage, command)
                .isEqualTo(yamlOnly);
        if (catalogue != null) {
            assertThat(options).as("mlops %s's options", command).isEqualTo(keys(catalogue, FrontEnd.CLI));
            assertThat(keys).as("the %s stage's keys", stage).isEqualTo(keys(catalogue, FrontEnd.YAML));
        }
    }

    private static Set<String> cliOptions(String command) {
        return MlopsCommand.commandLine(new String[] {command}).getSubcommands().get(command).getCommandSpec().options()
                .stream().map(OptionSpec::longestName).map(name -> name.replaceFirst("^--?", ""))
                .filter(name -> !OUTPUT_OPTIONS.contains(name)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The keys the stage accepts, as mlops.yaml's reader lists them for an unknown one. */
    private static Set<String> yamlKeys(String stage) {
        String yaml = "name: m\n" + stage + ":\n  no-such-key: 1\n";
        Throwable refusal = catchThrowable(() -> PipelineFile.parse(yaml, "mlops.yaml"));
        assertThat(refusal).isInstanceOf(BadInputException.class).hasMessageContaining("unknown key 'no-such-key'");
        String known = refusal.getMessage().replaceFirst("(?s).*known keys: ", "");
        return Arrays.stream(known.split(",")).map(String::strip).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> keys(ParameterCatalogue catalogue, FrontEnd frontEnd) {
        return catalogue.parameters().stream().filter(p -> p.offeredBy(frontEnd)).map(Parameter::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }

    private static Arguments step(String command, String stage, ParameterCatalogue catalogue, Set<String> cliOnly,
            Set<String> yamlOnly) {
        return Arguments.of(command, stage, catalogue, cliOnly, yamlOnly);
    }

    private static Set<String> set(String... names) {
        return new TreeSet<>(Arrays.asList(names));
    }
}
