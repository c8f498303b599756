package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.EnvVars;
import io.jenkins.plugins.mlops.deploy.log.LogCredentials;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The prediction log's logins for the deploy steps, as the CLI reads them: the database login from
 * {@code MLOPS_LOG_USER}/{@code MLOPS_LOG_PASSWORD} (the metrics': {@code MLOPS_METRIC_USER}/{@code MLOPS_METRIC_PASSWORD}),
 * e.g. bound by {@code withCredentials}.
 */
final class PredictionLogs {
    private PredictionLogs() {}

    static Properties credentials(EnvVars env) {
        return LogCredentials.writer(env);
    }

    /** The business metrics' login, {@code MLOPS_METRIC_USER}/{@code MLOPS_METRIC_PASSWORD}, else the writer's. */
    static Properties metricCredentials(EnvVars env) {
        return LogCredentials.metrics(env);
    }

    static SecretMasker masker(Properties... credentials) {
        return masker(null, credentials);
    }

    /** Masks the logins' passwords and a router's admin token. */
    static SecretMasker masker(String routerToken, Properties... credentials) {
        List<String> secrets = Stream.concat(Stream.of(routerToken), Stream.of(credentials).map(c -> c.getProperty("password")))
                .filter(Objects::nonNull).distinct().toList();
        return secrets.isEmpty() ? SecretMasker.NONE : new SecretMasker(secrets);
    }
}
