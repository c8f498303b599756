package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.util.ListBoxModel;

/** The choice of {@code failOn}: which status fails the build. */
final class FailOnItems {
    private FailOnItems() {}

    static ListBoxModel items() {
        ListBoxModel items = new ListBoxModel();
        items.add("FAIL or ERROR (default)", "fail");
        items.add("WARN as well", "warn");
        return items;
    }
}
