package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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
}
