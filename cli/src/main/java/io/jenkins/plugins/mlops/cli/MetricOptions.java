package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.log.LogCredentials;
import io.jenkins.plugins.mlops.deploy.log.LogUrl;
import io.jenkins.plugins.mlops.deploy.metrics.MetricSources;
import io.jenkins.plugins.mlops.deploy.metrics.SqlMetricReader;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusWindows;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/** Where and as whom the SQL business metrics read the prediction log, shared by canary and ab. */
public final class MetricOptions {
    private static final int MAX_ROWS = 1_000_000;

    @Option(names = "--metric-log", paramLabel = "JDBC_URL",
            description = "Where SQL metrics read the prediction log (default: --log), as MLOPS_METRIC_USER and"
                    + " MLOPS_METRIC_PASSWORD (default: the log's user): a role that can only read the log, see docs/canary.md.")
    String metricLog;

    @Option(names = "--query-timeout", paramLabel = "D", defaultValue = "30s", converter = DurationConverter.class,
            description = "The longest a metric query may run (default ${DEFAULT-VALUE}).")
    Duration queryTimeout;

    /**
     * The metric sources, every SQL metric checked and the metric user vetted before anything runs.
     *
     * @param routerWrites whether this command's router writes the log, whose tables are then created first
     */
    MetricSources sources(PredictionLogOptions log, boolean routerWrites, PrometheusWindows windows, UnaryOperator<String> labels,
                          List<BusinessMetric> metrics, Consumer<String> warnings) {
        String written = log.jdbcUrl();
        String read = metricLog != null ? metricLog : written;
        if (metricLog != null) {
            LogUrl.check(metricLog, "--metric-log");
        }
        MetricSources sources = new MetricSources(read == null ? null
                : new SqlMetricReader(read, LogCredentials.metrics(System.getenv()), queryTimeout, MAX_ROWS), windows, labels);
        return routerWrites ? sources.checkForRouter(metrics, written, PredictionLogOptions.credentials(System.getenv()), "--log", warnings)
                : sources.check(metrics, warnings);
    }
}
