package io.jenkins.plugins.mlops.deploy.shadow;

import java.io.Serializable;
import java.util.List;

/**
 * Both models' predictions side by side: shared histogram bins for numbers ({@code kind}
 * "numeric", {@code bins} their lower edges then the last upper edge), or counts per label
 * ("label"), the most frequent labels first.
 */
public record Distribution(String kind, List<String> bins, List<Long> primary, List<Long> shadow) implements Serializable {
    public Distribution {
        bins = List.copyOf(bins);
        primary = List.copyOf(primary);
        shadow = List.copyOf(shadow);
    }
}
