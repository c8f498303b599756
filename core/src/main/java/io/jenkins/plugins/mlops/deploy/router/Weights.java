package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The share of traffic each variant gets, in whole percent summing to 100, in the variants' order.
 * Immutable: the router swaps one for another in a single reference write, so a request sees
 * either the old split or the new one, never a mix.
 */
public final class Weights {
    private final Map<String, Integer> percent;
    private final String[] bucketOwner = new String[100];

    private Weights(Map<String, Integer> percent) {
        this.percent = Collections.unmodifiableMap(percent);
        int bucket = 0;
        for (Map.Entry<String, Integer> entry : percent.entrySet()) {
            for (int i = 0; i < entry.getValue(); i++) {
                bucketOwner[bucket++] = entry.getKey();
            }
        }
    }

    /**
     * Validates {@code requested} against the known variants: every name known, each 0..100, sum
     * 100. Variants not named get 0.
     */
    public static Weights of(Collection<String> variants, Map<String, Integer> requested) {
        if (requested == null || requested.isEmpty()) {
            throw new BadInputException("weights: give at least one VARIANT=PERCENT");
        }
        Map<String, Integer> percent = new LinkedHashMap<>();
        for (String name : variants) {
            percent.put(name, 0);
        }
        int sum = 0;
        for (Map.Entry<String, Integer> entry : requested.entrySet()) {
            if (!percent.containsKey(entry.getKey())) {
                throw new BadInputException("weights: unknown variant '" + entry.getKey() + "'; variants are " + variants);
            }
            Integer value = entry.getValue();
            if (value == null || value < 0 || value > 100) {
                throw new BadInputException("weights: " + entry.getKey() + "=" + value + " is not a percent in 0..100");
            }
            percent.put(entry.getKey(), value);
            sum += value;
        }
        if (sum != 100) {
            throw new BadInputException("weights: " + requested + " sum to " + sum + ", not 100");
        }
        return new Weights(percent);
    }

    /** The variant that owns {@code bucket} (0..99): variants own consecutive buckets in their order. */
    public String owner(int bucket) {
        return bucketOwner[bucket];
    }

    public Map<String, Integer> asMap() {
        return percent;
    }

    public int of(String variant) {
        return percent.getOrDefault(variant, 0);
    }

    public List<String> variants() {
        return List.copyOf(percent.keySet());
    }

    @Override
    public String toString() {
        return percent.toString();
    }
}
