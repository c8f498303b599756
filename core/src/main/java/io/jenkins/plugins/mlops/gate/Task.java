package io.jenkins.plugins.mlops.gate;

import java.util.Locale;

/** What the models predict, which decides the metrics that apply and how prediction columns are read. */
public enum Task {
    /** A number per example; metrics rmse, mae, r2, mape. */
    REGRESSION,
    /** A class per example (binary for the positive-class metrics), optionally a score for the positive class. */
    CLASSIFICATION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
