package io.jenkins.plugins.mlops.jenkins.actions;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.mlops.gate.Decision;
import io.jenkins.plugins.mlops.gate.MetricComparison;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import jenkins.model.TransientActionFactory;
import org.kohsuke.stapler.StaplerProxy;

/** The job's "Model gate trend" page: the gate's primary metric, candidate and baseline, over the last builds. */
public class GateTrendAction implements Action, StaplerProxy {
    /** As many builds as a trend on a job page shows; older builds stay reachable from their own pages. */
    static final int BUILDS = 50;

    private final Job<?, ?> job;

    public GateTrendAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    @Override
    public String getIconFileName() {
        return hasRecentGate() ? "symbol-analytics" : null;
    }

    @Override
    public String getDisplayName() {
        return Messages.GateTrendAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "mlops-gate-trend";
    }

    @Override
    public Object getTarget() {
        job.checkPermission(Item.READ);
        return this;
    }

    public GateTrend getTrend() {
        List<GateTrend.Point> points = new ArrayList<>();
        String metric = null;
        for (Run<?, ?> run : job.getBuilds().limit(BUILDS)) {
            GateAction gate = run.getAction(GateAction.class);
            if (gate == null) {
                continue;
            }
            MetricComparison primary = gate.getPrimary();
            String name = primary != null ? primary.name() : gate.getResult().primaryMetric();
            if (metric == null) {
                metric = name;
            } else if (!metric.equals(name)) {
                continue; // a gate about another metric does not belong on this axis
            }
            points.add(new GateTrend.Point(run.getNumber(), primary == null ? null : primary.candidate(),
                    primary == null ? null : primary.baseline(), gate.getResult().decision() == Decision.PASS));
        }
        Collections.reverse(points);
        return new GateTrend(metric == null ? "primary metric" : metric, points);
    }

    /**
     * Whether one of the last {@link #LOOK_BACK} builds ran the gate: looked up once per newest
     * build, not on every {@code getAllActions()} (which Jenkins calls many times per page, and
     * which would otherwise load those builds from disk each time).
     */
    boolean hasRecentGate() {
        Run<?, ?> last = job.getLastBuild();
        if (last == null) {
            return false;
        }
        synchronized (RECENT_GATE) {
            RecentGate known = RECENT_GATE.get(job);
            if (known != null && known.lastBuild() == last.getNumber()) {
                return known.found();
            }
        }
        boolean found = false;
        for (Run<?, ?> run : job.getBuilds().limit(LOOK_BACK)) {
            if (run.getAction(GateAction.class) != null) {
                found = true;
                break;
            }
        }
        synchronized (RECENT_GATE) {
            RECENT_GATE.put(job, new RecentGate(last.getNumber(), found));
        }
        return found;
    }

    /** Looking further back would cost more than a trend of old builds is worth. */
    static final int LOOK_BACK = 10;

    private record RecentGate(int lastBuild, boolean found) {}

    private static final Map<Job<?, ?>, RecentGate> RECENT_GATE = new WeakHashMap<>();

    /** Adds the trend to every job; it shows in the side panel once a recent build ran {@code gateModel}. */
    @Extension
    public static final class Factory extends TransientActionFactory<Job> {
        @Override
        public Class<Job> type() {
            return Job.class;
        }

        @Override
        public Collection<? extends Action> createFor(Job target) {
            return List.of(new GateTrendAction(target));
        }
    }
}
