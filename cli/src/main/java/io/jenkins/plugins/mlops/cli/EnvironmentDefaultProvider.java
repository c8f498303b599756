package io.jenkins.plugins.mlops.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lets every option come from the environment, as CI systems like to pass settings:
 * {@code --reference-profile} reads {@code MLOPS_REFERENCE_PROFILE}. A value on the command line
 * wins; an option's own default applies when neither is set.
 */
final class EnvironmentDefaultProvider implements IDefaultValueProvider {
    private final Map<String, String> environment;

    EnvironmentDefaultProvider(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String value = environment.get(variableName(option.longestName()));
        return value == null || value.isEmpty() ? null : value;
    }

    static String variableName(String optionName) {
        String bare = optionName.replaceFirst("^-+", "");
        return "MLOPS_" + bare.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
