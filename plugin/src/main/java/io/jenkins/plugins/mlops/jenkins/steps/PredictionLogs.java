package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.EnvVars;
import io.jenkins.plugins.mlops.deploy.log.LogCredentials;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The prediction log of the deploy steps, as the CLI reads it: a JDBC URL ({@code none} for no
 * log; a relative SQLite file is in the workspace) and the database login from
 * {@code MLOPS_LOG_USER}/{@code MLOPS_LOG_PASSWORD} (the metrics': {@code MLOPS_METRIC_USER}/{@code MLOPS_METRIC_PASSWORD}),
 * e.g. bound by {@code withCredentials}.
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
        return LogCredentials.writer(env);
    }

    /** The business metrics' login, {@code MLOPS_METRIC_USER}/{@code MLOPS_METRIC_PASSWORD}, else the writer's. */
    static Properties metricCredentials(EnvVars env) {
        return LogCredentials.metrics(env);
    }

    static SecretMasker masker(Properties... credentials) {
        List<String> passwords = Stream.of(credentials).map(c -> c.getProperty("password")).filter(Objects::nonNull).distinct().toList();
        return passwords.isEmpty() ? SecretMasker.NONE : new SecretMasker(passwords);
    }
}
