package io.jenkins.plugins.mlops.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One {@code mlops} command run in this JVM, configured as {@link MlopsCommand#main} configures it,
 * with what it printed.
 */
record InProcess(int code, String out, String err) {

    static InProcess mlops(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine commandLine = MlopsCommand.commandLine(args);
        commandLine.setOut(new PrintWriter(stdout));
        commandLine.setErr(new PrintWriter(stderr));
        int code = commandLine.execute(args);
        return new InProcess(code, stdout.toString(), stderr.toString());
    }
}
