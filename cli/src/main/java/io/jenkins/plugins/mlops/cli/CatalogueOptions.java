package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The options of a step command made from its parameter catalogue in core: names, help and
 * defaults are written once, there. Values stay the text that was typed (a repeated option a list
 * of them) and are read by the catalogue, so a bad value gets the same message as in
 * {@code mlops.yaml} or a Jenkinsfile.
 */
final class CatalogueOptions {
    private static final String COMMAND = "COMMAND";

    private CatalogueOptions() {}

    /** A step command whose step options come from a catalogue; {@link MlopsCommand} adds them. */
    interface Bound {
        ParameterCatalogue catalogue();
    }

    static void add(CommandSpec spec, ParameterCatalogue catalogue) {
        for (Parameter parameter : catalogue.parameters()) {
            if (!parameter.offeredBy(FrontEnd.CLI)) {
                continue;
            }
            if (parameter.type() == ParameterType.COMMAND) {
                spec.addPositional(PositionalParamSpec.builder().paramLabel(COMMAND).arity("1..*").type(List.class)
                        .auxiliaryTypes(String.class).description(description(parameter) + " Put it after --.").build());
                continue;
            }
            OptionSpec.Builder option = OptionSpec.builder(parameter.option())
                    .paramLabel(parameter.label())
                    .description(description(parameter));
            if (parameter.type() == ParameterType.LIST) {
                option.type(List.class).auxiliaryTypes(String.class).arity("1");
            } else if (parameter.type() == ParameterType.PAIRS) {
                option.type(Map.class).auxiliaryTypes(String.class, String.class).arity("1");
            } else {
                option.type(String.class);
            }
            spec.addOption(option.build());
        }
    }

    /** What was given, by parameter name: the catalogue reads it and fills in the defaults. */
    static Map<String, Object> values(CommandSpec spec, ParameterCatalogue catalogue) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Parameter parameter : catalogue.parameters()) {
            if (parameter.type() == ParameterType.COMMAND) {
                values.put(parameter.name(), given(command(spec).getValue()));
            } else if (parameter.offeredBy(FrontEnd.CLI)) {
                values.put(parameter.name(), given(spec.findOption(parameter.option()).getValue()));
            }
        }
        return values;
    }

    /** A repeatable option that was not given holds an empty list: not given, so the default applies. */
    private static Object given(Object value) {
        return value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty() ? null : value;
    }

    /** The positional parameters that hold the command, after {@code --}. */
    static PositionalParamSpec command(CommandSpec spec) {
        return spec.positionalParameters().stream().filter(p -> p.paramLabel().equals(COMMAND)).findFirst().orElseThrow();
    }

    // picocli formats descriptions: a literal % is %%.
    private static String description(Parameter parameter) {
        String help = parameter.help() + (parameter.defaultValue() == null ? "" : " Default: " + parameter.defaultValue() + ".");
        return help.replace("%", "%%");
    }
}
