package io.jenkins.plugins.mlops.deploy.metrics;

import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.log.PredictionLog;
import io.jenkins.plugins.mlops.deploy.prometheus.PrometheusWindows;
import io.jenkins.plugins.mlops.deploy.rollout.MetricReader;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Reads each business metric from where its language says: SQL from the prediction log, PromQL
 * from Prometheus. Checked up front, so a PromQL metric without {@code --prometheus} is a usage
 * error before any traffic moves, not a failure mid-rollout.
 *
 * @param labels the variant's label value in Prometheus (e.g. an Istio subset) for the name the judge uses
 */
public record MetricSources(SqlMetricReader sql, PrometheusWindows prometheus, UnaryOperator<String> labels)
        implements MetricReader {

    public MetricSources requireFor(List<BusinessMetric> metrics) {
        for (BusinessMetric metric : metrics) {
            if (metric.language() == BusinessMetric.Language.SQL && sql == null) {
                throw new BadInputException("--metric " + metric.name() + " is SQL over the prediction log: give --log JDBC_URL");
            }
            if (metric.language() == BusinessMetric.Language.PROMQL && prometheus == null) {
                throw new BadInputException("--metric " + metric.name() + " is PromQL: give --prometheus URL");
            }
        }
        return this;
    }

    /**
     * {@link #requireFor} and then the SQL metrics checked and the metric user vetted, nothing run;
     * call it before any traffic moves, with the log's tables created.
     *
     * @param warnings told what the metric user may do that the sandbox alone holds back
     */
    public MetricSources check(List<BusinessMetric> metrics, Consumer<String> warnings) {
        requireFor(metrics);
        if (sql != null && anySql(metrics)) {
            sql.check(metrics).forEach(warnings);
        }
        return this;
    }

    /**
     * {@link #check} for a rollout whose router is about to write the log: its tables are created
     * first, by the writer, so that the metrics can be compiled against them.
     *
     * @param field the option or field that named the log, for messages
     */
    public MetricSources checkForRouter(List<BusinessMetric> metrics, String logUrl, Properties writer, String field,
                                        Consumer<String> warnings) {
        requireFor(metrics);
        if (sql != null && logUrl != null && anySql(metrics)) {
            PredictionLog.createTables(logUrl, writer, field);
        }
        return check(metrics, warnings);
    }

    private static boolean anySql(List<BusinessMetric> metrics) {
        return metrics.stream().anyMatch(m -> m.language() == BusinessMetric.Language.SQL);
    }

    @Override
    public double[] values(BusinessMetric metric, String variant, Instant from, Instant to) {
        return metric.language() == BusinessMetric.Language.SQL
                ? sql.values(metric, variant, from, to)
                : prometheus.metric(metric.query(), labels.apply(variant), from, to);
    }
}
