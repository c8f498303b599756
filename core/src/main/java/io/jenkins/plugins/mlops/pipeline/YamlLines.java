package io.jenkins.plugins.mlops.pipeline;

import java.io.StringReader;
import java.util.List;
import java.util.OptionalInt;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The line of a key in a YAML text. Jackson binds records after reading the whole mapping, so
 * its error location is the mapping's end; the user needs the line of the key they mistyped.
 */
final class YamlLines {
    private YamlLines() {}

    /** @param path keys from the root; a number indexes a list */
    static OptionalInt lineOf(String text, List<String> path) {
        try {
            Node node = new Yaml(new LoaderOptions()).compose(new StringReader(text));
            int line = -1;
            for (String step : path) {
                if (node instanceof MappingNode mapping) {
                    NodeTuple found = mapping.getValue().stream()
                            .filter(t -> t.getKeyNode() instanceof ScalarNode key && key.getValue().equals(step))
                            .findFirst().orElse(null);
                    if (found == null) {
                        return OptionalInt.empty();
                    }
                    line = found.getKeyNode().getStartMark().getLine() + 1;
                    node = found.getValueNode();
                } else if (node instanceof SequenceNode sequence && step.matches("\\d+")
                        && Integer.parseInt(step) < sequence.getValue().size()) {
                    node = sequence.getValue().get(Integer.parseInt(step));
                    line = node.getStartMark().getLine() + 1;
                } else {
                    return OptionalInt.empty();
                }
            }
            return line < 0 ? OptionalInt.empty() : OptionalInt.of(line);
        } catch (RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
