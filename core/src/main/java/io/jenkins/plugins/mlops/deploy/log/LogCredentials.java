package io.jenkins.plugins.mlops.deploy.log;

import java.util.Map;
import java.util.Properties;

/**
 * The prediction log's credentials, from the environment: never an option, so never in {@code ps}.
 * The router writes as {@code MLOPS_LOG_USER}; the business metrics read as {@code MLOPS_METRIC_USER},
 * a role that can only read the log (docs/canary.md, "The metric user"), or as the writer when it is not set.
 */
public final class LogCredentials {
    private LogCredentials() {}

    /** The writer's user and password. */
    public static Properties writer(Map<String, String> environment) {
        return credentials(environment, "MLOPS_LOG_USER", "MLOPS_LOG_PASSWORD");
    }

    /** The metric user's, or the writer's when {@code MLOPS_METRIC_USER} is not set. */
    public static Properties metrics(Map<String, String> environment) {
        return environment.get("MLOPS_METRIC_USER") == null ? writer(environment)
                : credentials(environment, "MLOPS_METRIC_USER", "MLOPS_METRIC_PASSWORD");
    }

    private static Properties credentials(Map<String, String> environment, String user, String password) {
        Properties properties = new Properties();
        if (environment.get(user) != null) {
            properties.setProperty("user", environment.get(user));
        }
        if (environment.get(password) != null) {
            properties.setProperty("password", environment.get(password));
        }
        return properties;
    }
}
