package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.train.SmokeTrainParameters;
import io.jenkins.plugins.mlops.train.TrainParameters;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** MLOPS_TIMEOUT and --timeout mean the same in every command: a duration, a bare number being seconds. */
class TimeoutSyntaxTest {
    @ParameterizedTest(name = "{0} reads MLOPS_TIMEOUT={1} as {2}")
    @CsvSource({
        "gate, 90s, PT1M30S", "gate, 45, PT45S", "gate, 10m, PT10M",
        "register, 90s, PT1M30S", "register, 45, PT45S", "register, 10m, PT10M",
        "smoke-train, 90s, PT1M30S", "smoke-train, 45, PT45S", "smoke-train, 10m, PT10M",
        "train, 90s, PT1M30S", "train, 45, PT45S", "train, 1h30m, PT1H30M",
    })
    void oneSyntaxEverywhere(String command, String value, String expected) {
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setDefaultValueProvider(new EnvironmentDefaultProvider(Map.of("MLOPS_TIMEOUT", value)));
        String[] args = switch (command) {
            case "gate" -> new String[] {"gate"};
            case "register" -> new String[] {"register", "--name", "m", "--model", "model.pkl"};
            default -> new String[] {command, "--data", "d.csv", "--", "python"};
        };
        if (command.equals("train")) {
            args = new String[] {"train", "--", "python"};
        }

        CommandLine.ParseResult parsed = commandLine.parseArgs(args);

        CommandSpec spec = parsed.subcommand().commandSpec();
        // train's and smoke-train's options come from their parameter catalogues in core, which read the typed text.
        Duration timeout = switch (command) {
            case "train" -> TrainParameters.builder().setAll(CatalogueOptions.values(spec, TrainParameters.CATALOGUE)).build()
                    .timeout();
            case "smoke-train" -> SmokeTrainParameters.builder()
                    .setAll(CatalogueOptions.values(spec, SmokeTrainParameters.CATALOGUE)).build().timeout();
            default -> spec.findOption("--timeout").getValue();
        };
        assertThat(timeout).isEqualTo(Duration.parse(expected));
    }
}
