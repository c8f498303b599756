package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.deploy.log.LogCredentials;
import io.jenkins.plugins.mlops.deploy.log.LogUrl;
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

    /** The JDBC URL, checked, or null for no log. */
    String jdbcUrl() {
        if (log == null || log.isBlank() || "none".equalsIgnoreCase(log)) {
            return null;
        }
        LogUrl.check(log, "--log");
        return log;
    }

    /** The log writer's user and password, from the environment: never an option, so never in {@code ps}. */
    static Properties credentials(Map<String, String> environment) {
        return LogCredentials.writer(environment);
    }
}
