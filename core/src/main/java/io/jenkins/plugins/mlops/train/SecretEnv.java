package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;

/**
 * An environment variable whose value comes from a Kubernetes Secret, so that a token reaches the
 * training container without passing through the build's arguments, logs or reports.
 *
 * @param name the variable, e.g. {@code MLFLOW_TRACKING_TOKEN}
 * @param secret the Secret's name
 * @param key the key inside the Secret
 */
public record SecretEnv(String name, String secret, String key) implements Serializable {

    public SecretEnv {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new BadInputException("--secret-env: '" + name + "' is not an environment variable name");
        }
        if (secret == null || !secret.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || key == null || key.isBlank()) {
            throw new BadInputException("--secret-env " + name + ": needs SECRET:KEY with a valid Secret name, got '"
                    + secret + ":" + key + "'");
        }
    }

    /** Parses {@code NAME=SECRET:KEY}. */
    public static SecretEnv parse(String text) {
        int eq = text.indexOf('=');
        int colon = text.indexOf(':', eq + 1);
        if (eq < 1 || colon < 0) {
            throw new BadInputException("--secret-env: '" + text + "' is not NAME=SECRET:KEY");
        }
        return new SecretEnv(text.substring(0, eq), text.substring(eq + 1, colon), text.substring(colon + 1));
    }
}
