package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which metrics the gate computes once the task is known, which one is primary, and which the
 * user asked for (those must be computable; the task's defaults are shown for information).
 */
record MetricPlan(Metric primary, List<Metric> computed, Set<Metric> required) {

    static MetricPlan of(GateConfig config, Task task) {
        boolean scored = config.scoreColumn() != null;
        List<Metric> named = GateConfig.namedMetrics(config.metrics(), config.policy());
        for (Metric metric : named) {
            if (metric.task() != task) {
                throw new BadInputException("metric " + metric.id() + " is for " + metric.task().id()
                        + ", but the label column makes this a " + task.id() + " gate; set --task or choose "
                        + task.id() + " metrics");
            }
        }
        Metric primary = config.policy().primaryMetric() != null ? config.policy().primaryMetric()
                : !config.metrics().isEmpty() ? config.metrics().get(0)
                : defaultPrimary(task, scored);
        Set<Metric> computed = new LinkedHashSet<>();
        computed.add(primary);
        computed.addAll(config.metrics().isEmpty() ? defaults(task, scored) : config.metrics());
        computed.addAll(named);
        Set<Metric> required = new LinkedHashSet<>(named);
        required.add(primary);
        return new MetricPlan(primary, List.copyOf(computed), Set.copyOf(required));
    }

    static Metric defaultPrimary(Task task, boolean scored) {
        if (task == Task.REGRESSION) {
            return Metric.RMSE;
        }
        return scored ? Metric.ROC_AUC : Metric.ACCURACY;
    }

    private static List<Metric> defaults(Task task, boolean scored) {
        List<Metric> defaults = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            if (metric.task() == task && (scored || !metric.needsScore())) {
                defaults.add(metric);
            }
        }
        return defaults;
    }
}
