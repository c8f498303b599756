package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.deploy.log.PayloadMode;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The prediction log's options, shared by the commands that run the router. */
public final class PredictionLogOptions {
    @Option(names = "--log", paramLabel = "JDBC_URL",
            description = "Prediction log: jdbc:sqlite:FILE (default ${DEFAULT-VALUE}) or jdbc:postgresql://HOST:PORT/DB;"
                + " 'none' for no log. Credentials from MLOPS_LOG_USER and MLOPS_LOG_PASSWORD.",
            defaultValue = "jdbc:sqlite:mlops-predictions.db")
    String log;

    @Option(names = "--payload", paramLabel = "MODE", defaultValue = "full",
            description = "What the log keeps of each request: full, hashed (sha256, still joinable) or none. Default ${DEFAULT-VALUE}.")
    PayloadMode payload;

    /** The JDBC URL, or null for no log. */
    String jdbcUrl() {
        return log == null || log.isBlank() || "none".equalsIgnoreCase(log) ? null : log;
    }

    /** The log database's user and password, from the environment: never an option, so never in {@code ps}. */
    static Properties credentials(Map<String, String> environment) {
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
