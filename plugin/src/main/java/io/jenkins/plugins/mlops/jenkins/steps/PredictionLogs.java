package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.EnvVars;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The prediction log of the deploy steps, as the CLI reads it: a JDBC URL ({@code none} for no
 * log; a relative SQLite file is in the workspace) and the database login from
 * {@code MLOPS_LOG_USER}/{@code MLOPS_LOG_PASSWORD}, e.g. bound by {@code withCredentials}.
 */
final class PredictionLogs {
    static final String DEFAULT = "jdbc:sqlite:mlops-predictions.db";
    private static final String SQLITE = "jdbc:sqlite:";

    private PredictionLogs() {}

    static String jdbcUrl(String log, Path workspace) {
        if (log == null || log.isBlank() || "none".equalsIgnoreCase(log.trim())) {
            return null;
        }
        String url = log.trim();
        if (url.startsWith(SQLITE) && !url.startsWith(SQLITE + ":") && !Path.of(url.substring(SQLITE.length())).isAbsolute()) {
            return SQLITE + workspace.resolve(url.substring(SQLITE.length()));
        }
        return url;
    }

    static Properties credentials(EnvVars env) {
        Properties properties = new Properties();
        if (env.get("MLOPS_LOG_USER") != null) {
            properties.setProperty("user", env.get("MLOPS_LOG_USER"));
        }
        if (env.get("MLOPS_LOG_PASSWORD") != null) {
            properties.setProperty("password", env.get("MLOPS_LOG_PASSWORD"));
        }
        return properties;
    }

    static SecretMasker masker(Properties credentials) {
        String password = credentials.getProperty("password");
        return password == null ? SecretMasker.NONE : new SecretMasker(List.of(password));
    }
}
