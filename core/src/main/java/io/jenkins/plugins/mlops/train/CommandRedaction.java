package io.jenkins.plugins.mlops.train;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the values of secret-looking options ({@code --token X}, {@code --api-key=X},
 * {@code --password X}) before a command is printed or written to a report: reports are
 * archived and shown on build pages, where a credential must never appear.
 */
final class CommandRedaction {
    static final String MASK = "****";
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i)^(--?[\\w.-]*(?:token|password|passwd|secret|api[-_]?key|access[-_]?key|credentials?)[\\w.-]*)(=.*)?$");

    private CommandRedaction() {}

    static List<String> redact(List<String> command) {
        List<String> out = new ArrayList<>(command.size());
        boolean maskNext = false;
        for (String argument : command) {
            if (maskNext) {
                out.add(MASK);
                maskNext = false;
                continue;
            }
            Matcher m = SECRET_OPTION.matcher(argument);
            if (m.matches()) {
                if (m.group(2) != null) {
                    out.add(m.group(1) + "=" + MASK);
                } else {
                    out.add(argument);
                    maskNext = true;
                }
            } else {
                out.add(argument);
            }
        }
        return out;
    }
}
