package io.jenkins.plugins.mlops.cli;

import java.util.Map;
import java.util.Properties;

/** The log database's user and password, from the environment: never an option, so never in {@code ps}. */
final class PredictionLogCredentials {
    private PredictionLogCredentials() {}

    static Properties from(Map<String, String> environment) {
        Properties properties = new Properties();
        if (environment.get("MLOPS_LOG_USER") != null) {
            properties.setProperty("user", environment.get("MLOPS_LOG_USER"));
        }
        if (environment.get("MLOPS_LOG_PASSWORD") != null) {
            properties.setProperty("password", environment.get("MLOPS_LOG_PASSWORD"));
        }
        return properties;
    }
}
