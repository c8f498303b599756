package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class EnvironmentDefaultProviderTest {

    @Command(name = "probe")
    static final class Probe {
        @Option(names = "--reference-profile")
        String referenceProfile;

        @Option(names = "--rows", defaultValue = "100")
        int rows;
    }

    @Test
    void optionsReadMlopsVariablesAndTheCommandLineWins() {
        Probe fromEnv = new Probe();
        CommandLine commandLine = new CommandLine(fromEnv)
                .setDefaultValueProvider(new EnvironmentDefaultProvider(Map.of("MLOPS_REFERENCE_PROFILE", "p.json")));
        commandLine.parseArgs();
        assertThat(fromEnv.referenceProfile).isEqualTo("p.json");
        assertThat(fromEnv.rows).isEqualTo(100);

        Probe fromArgs = new Probe();
        new CommandLine(fromArgs)
                .setDefaultValueProvider(new EnvironmentDefaultProvider(Map.of("MLOPS_REFERENCE_PROFILE", "p.json", "MLOPS_ROWS", "7")))
                .parseArgs("--reference-profile", "q.json");
        assertThat(fromArgs.referenceProfile).isEqualTo("q.json");
        assertThat(fromArgs.rows).isEqualTo(7);
    }

    @Test
    void variableNamesFollowTheLongOption() {
        assertThat(EnvironmentDefaultProvider.variableName("--fail-on")).isEqualTo("MLOPS_FAIL_ON");
        assertThat(EnvironmentDefaultProvider.variableName("--report")).isEqualTo("MLOPS_REPORT");
    }
}
