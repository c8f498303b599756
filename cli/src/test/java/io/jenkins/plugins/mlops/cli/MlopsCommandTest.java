package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class MlopsCommandTest {

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setErr(new PrintWriter(err));

        int code = commandLine.execute("--no-such-option");

        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("--no-such-option");
    }

    @Test
    void helpListsExitCodes() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));

        assertThat(commandLine.execute("--help")).isZero();
        assertThat(out.toString()).contains("Usage: mlops", "bad input or usage");
    }

    @Test
    void helpListsEveryStep() {
        String help = run(MlopsCommand.commandLine(), "--help").out();

        for (Class<?> subcommand : MlopsCommand.SUBCOMMANDS) {
            assertThat(help).contains("  " + subcommand.getAnnotation(CommandLine.Command.class).name() + " ");
        }
    }

    /** main registers only the step it runs: what that step prints must not tell the difference. */
    @ParameterizedTest
    @MethodSource("steps")
    void aStepAloneAnswersAsAmongAllSteps(String step) {
        for (String[] args : new String[][] {{step, "--help"}, {step, "--no-such-option"}, {step, "--version"}}) {
            InProcess alone = run(MlopsCommand.commandLine(args), args);
            InProcess amongAll = run(MlopsCommand.commandLine(), args);

            assertThat(MlopsCommand.commandLine(args).getSubcommands()).containsOnlyKeys(step);
            assertThat(alone).as(String.join(" ", args)).isEqualTo(amongAll);
        }
    }

    @Test
    void helpForAStepAndATypoStillSeeEveryStep() {
        assertThat(MlopsCommand.commandLine(new String[] {"help", "gate"}).getSubcommands()).hasSize(MlopsCommand.SUBCOMMANDS.size());
        assertThat(run(MlopsCommand.commandLine(new String[] {"help", "gate"}), "help", "gate").out())
                .isEqualTo(run(MlopsCommand.commandLine(), "gate", "--help").out());
        assertThat(run(MlopsCommand.commandLine(new String[] {"valdate-data"}), "valdate-data").err()).contains("validate-data");
    }

    static Stream<String> steps() {
        return MlopsCommand.SUBCOMMANDS.stream().filter(c -> c != CommandLine.HelpCommand.class)
                .map(c -> c.getAnnotation(CommandLine.Command.class).name());
    }

    private static InProcess run(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new InProcess(code, out.toString(), err.toString());
    }
}
