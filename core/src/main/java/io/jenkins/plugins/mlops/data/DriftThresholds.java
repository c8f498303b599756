package io.jenkins.plugins.mlops.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * When a column counts as drifted. Effect sizes decide, because at large n every test is
 * significant: a column WARNs at {@code warn} and FAILs at {@code fail}, and only when the
 * difference is also significant after Benjamini-Hochberg correction at {@code alpha}, which
 * keeps small samples, whose effect sizes are noisy, from raising false alarms.
 *
 * @param numeric limits for the Wasserstein distance divided by the reference's standard deviation
 * @param categorical limits for the Jensen-Shannon distance (base 2, between 0 and 1)
 * @param alpha false discovery rate for the corrected p-values
 */
public record DriftThresholds(Level numeric, Level categorical, double alpha) implements Serializable {
    /**
     * 0.1 is the drift threshold Evidently uses for both statistics; 0.1 standard deviations of
     * shift is visible in a histogram, 0.2 changes most models' error noticeably.
     */
    public static final DriftThresholds DEFAULT = new DriftThresholds(new Level(0.1, 0.2), new Level(0.1, 0.2), 0.05);

    @JsonCreator
    public DriftThresholds(@JsonProperty("numeric") Level numeric, @JsonProperty("categorical") Level categorical,
            @JsonProperty("alpha") Double alpha) {
        this(numeric == null ? DEFAULT.numeric : numeric, categorical == null ? DEFAULT.categorical : categorical,
                alpha == null ? DEFAULT.alpha : alpha.doubleValue());
    }

    public DriftThresholds {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be between 0 and 1, not " + alpha);
        }
    }

    /** WARN and FAIL limits of one statistic. */
    public record Level(double warn, double fail) implements Serializable {
        public Level {
            if (!(warn > 0) || !(fail >= warn)) {
                throw new IllegalArgumentException("need 0 < warn <= fail, not warn " + warn + ", fail " + fail);
            }
        }
    }
}
