package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.util.ListBoxModel;

/** The choice of {@code engine}: what computes the data's profile. */
final class EngineItems {
    private EngineItems() {}

    static ListBoxModel items() {
        ListBoxModel items = new ListBoxModel();
        items.add("DuckDB on the agent (default)", "duckdb");
        items.add("Spark, through Spark Connect", "spark");
        return items;
    }
}
