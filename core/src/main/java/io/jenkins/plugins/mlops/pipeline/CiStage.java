package io.jenkins.plugins.mlops.pipeline;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ci} stage: the options of {@code mlops ci}. {@code commands} maps each check's name to
 * its command, in the order they run; {@code {junit}} in a command is where it writes its JUnit XML.
 */
public record CiStage(Map<String, List<String>> commands, String timeout) implements Serializable {

    public CiStage {
        if (commands == null || commands.isEmpty()) {
            throw Keys.invalid("ci.commands", "is required: a name and a command per check, e.g."
                    + " tests: [.venv/bin/python, -m, pytest, --junitxml, \"{junit}\"]");
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        commands.forEach((name, command) -> ordered.put(name, Keys.command(command, "ci.commands." + name)));
        commands = Collections.unmodifiableMap(ordered);
        timeout = Keys.orDefault(timeout, "10m");
    }
}
