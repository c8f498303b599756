package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.mlops.data.ValidateDataParameters;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryRolloutParameters;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowParameters;
import io.jenkins.plugins.mlops.gate.GateParameters;
import io.jenkins.plugins.mlops.ingest.IngestParameters;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.packaging.PackageParameters;
import io.jenkins.plugins.mlops.revision.DeployParameters;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.pipeline.PipelineFile;
import io.jenkins.plugins.mlops.registry.RegisterParameters;
import io.jenkins.plugins.mlops.train.SmokeTrainParameters;
import io.jenkins.plugins.mlops.train.TrainParameters;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every step's command-line options and {@code mlops.yaml} keys are its parameter catalogue's in
 * core, plus the few a front end has for itself, listed here with the reason. (The Jenkins side is
 * checked against the same catalogues by the plugin's StepParametersTest.)
 */
class ParameterConsistencyTest {
    /** Every command's output options: they shape what the CLI prints, a stage writes its report in the run directory. */
    private static final Set<String> OUTPUT_OPTIONS = Set.of("report", "json", "quiet", "help", "version");

    static Stream<Arguments> steps() {
        return Stream.of(
                step("canary", "canary", CanaryRolloutParameters.CATALOGUE, set(), set()),
                // --dry-run prints the Job instead of running it; --poll-interval is a knob for tests.
                // model: where the pipeline finds the trained model for the gate and register.
                step("train", "train", TrainParameters.CATALOGUE, set("dry-run", "poll-interval"), set("model")),
                // --registry and its --timeout: where --baseline-model looks (the pipeline's registry is its own key).
                // evaluate, first-baseline, first-policy: how the pipeline scores the models it compares.
                step("gate", "gate", GateParameters.CATALOGUE, set("registry", "timeout"),
                        set("evaluate", "first-baseline", "first-policy")),
                // --registry and --timeout: the registry options, shared with gate (the stage's registry is the pipeline's).
                step("register", "register", RegisterParameters.CATALOGUE, set("registry", "timeout"), set()),
                // --registry and --timeout: the model registry that models:/ names (the stage's is the pipeline's).
                step("package", "package", PackageParameters.CATALOGUE, set("registry", "timeout"), set()),
                // --registry and --timeout: the model registry that models:/ names (the stage's is the pipeline's).
                step("deploy", "deploy", DeployParameters.CATALOGUE, set("registry", "timeout"), set()),
                // on-drift: what the pipeline does when the data drifted (retrain, or stop).
                step("validate-data", "validate", ValidateDataParameters.CATALOGUE, set(), set("on-drift")),
                step("shadow", "shadow", ShadowParameters.CATALOGUE, set(), set()),
                step("smoke-train", "smoke-train", SmokeTrainParameters.CATALOGUE, set(), set()),
                step("ingest", "ingest", IngestParameters.CATALOGUE, set(), set()));
    }

    /**
     * The command's options are its catalogue's (the step's) and its own; so are the stage's keys.
     * Which of the step's parameters one front end lacks, and why, the catalogue says.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void theCommandAndTheStageTakeTheStepsParameters(String command, String stage, ParameterCatalogue catalogue,
            Set<String> commandOnly, Set<String> stageOnly) {
        assertThat(cliOptions(command)).as("options of mlops %s", command)
                .isEqualTo(union(keys(catalogue, FrontEnd.CLI), commandOnly));
        assertThat(yamlKeys(stage)).as("keys of the %s stage", stage)
                .isEqualTo(union(keys(catalogue, FrontEnd.YAML), stageOnly));
    }

    /** The options and, as {@code command}, the training command after {@code --}. */
    private static Set<String> cliOptions(String command) {
        CommandSpec spec = MlopsCommand.commandLine(new String[] {command}).getSubcommands().get(command).getCommandSpec();
        return Stream.concat(spec.options().stream().map(OptionSpec::longestName).map(name -> name.replaceFirst("^--?", "")),
                        spec.positionalParameters().stream().map(p -> p.paramLabel().toLowerCase(Locale.ROOT)))
                .filter(name -> !OUTPUT_OPTIONS.contains(name)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The keys the stage accepts, as mlops.yaml's reader lists them for an unknown one. */
    private static Set<String> yamlKeys(String stage) {
        // The keys some stages require come after it, so that the unknown key is what the reader refuses first.
        String yaml = "name: m\n" + stage + ":\n  no-such-key: 1\n  data: d.csv\n  command: [python]\n";
        Throwable refusal = catchThrowable(() -> PipelineFile.parse(yaml, "mlops.yaml"));
        assertThat(refusal).isInstanceOf(BadInputException.class).hasMessageContaining("unknown key 'no-such-key'");
        String known = refusal.getMessage().replaceFirst("(?s).*known keys: ", "");
        return Arrays.stream(known.split(",")).map(String::strip).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> keys(ParameterCatalogue catalogue, FrontEnd frontEnd) {
        return catalogue.parameters().stream().filter(p -> p.offeredBy(frontEnd)).map(Parameter::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static Arguments step(String command, String stage, ParameterCatalogue catalogue, Set<String> cliOnly,
            Set<String> yamlOnly) {
        return Arguments.of(command, stage, catalogue, cliOnly, yamlOnly);
    }

    private static Set<String> set(String... names) {
        return new TreeSet<>(Arrays.asList(names));
    }
}
