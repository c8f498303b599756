package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.util.ListBoxModel;

/** The choice of {@code engine}: what computes the data's profile (validateData's, and the drift trigger's). */
public final class EngineItems {
    private EngineItems() {}

    /** For a step, whose DuckDB runs on the agent. */
    static ListBoxModel items() {
        return items("on the agent");
    }

    /** @param where where DuckDB runs: on the agent (a step) or on the controller (the drift trigger) */
    public static ListBoxModel items(String where) {
        ListBoxModel items = new ListBoxModel();
        items.add("DuckDB " + where + " (default)", "duckdb");
        items.add("Spark, through Spark Connect", "spark");
        return items;
    }
}
