package io.jenkins.plugins.mlops.ci;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One of the project's own checks: a name (its test suite and its JUnit file) and the program with
 * its arguments, run without a shell. {@value #JUNIT} in an argument is the path where the command
 * may write its JUnit XML ({@code pytest --junitxml {junit}}); a command that writes none gets one
 * made from its exit status and output.
 */
public record CheckCommand(String name, List<String> command) implements Serializable {
    public static final String JUNIT = "{junit}";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public CheckCommand {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new BadInputException("ci command name '" + name + "': use up to 64 letters, digits, '.', '_' or '-'"
                    + " (it names the command's JUnit file)");
        }
        command = command == null ? List.of() : List.copyOf(command);
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new BadInputException("ci command '" + name + "' is empty: give the program and its arguments");
        }
    }

    /** {@code NAME=COMMAND}, the command split as a shell would (the CLI's {@code --command}, the plugin's lines). */
    public static CheckCommand parse(String text) {
        int eq = text == null ? -1 : text.indexOf('=');
        if (eq < 1) {
            throw new BadInputException("ci command '" + text + "' is not NAME=COMMAND, e.g. tests=pytest --junitxml {junit}");
        }
        return new CheckCommand(text.substring(0, eq).strip(), CommandWords.split(text.substring(eq + 1)));
    }

    /** The file {@value #JUNIT} stands for, beside the step's own report set. */
    public String junitFileName() {
        return "ci-" + name + "-junit.xml";
    }

    List<String> expanded(Path junit) {
        return command.stream().map(argument -> argument.replace(JUNIT, junit.toString())).toList();
    }
}
