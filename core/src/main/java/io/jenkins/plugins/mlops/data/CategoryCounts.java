package io.jenkins.plugins.mlops.data;

import java.io.Serializable;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often each value of a low-cardinality column occurs, most frequent first. At most
 * {@link #MAX_CATEGORIES} values are kept; the rest is counted in {@code other}, so the size is
 * bounded by the limit, not by rows, and merging adds counts exactly while under the limit.
 */
public record CategoryCounts(Map<String, Long> counts, long other) implements Serializable {
    /** Columns with more distinct values than this are not treated as categorical. */
    public static final int MAX_CATEGORIES = 200;

    public CategoryCounts {
        counts = Collections.unmodifiableMap(ordered(counts));
    }

    public static CategoryCounts of(Map<String, Long> counts) {
        return limited(counts, 0);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum() + other;
    }

    public CategoryCounts merge(CategoryCounts that) {
        Map<String, Long> sum = new LinkedHashMap<>(counts);
        that.counts.forEach((value, count) -> sum.merge(value, count, Long::sum));
        return limited(sum, other + that.other);
    }

    private static CategoryCounts limited(Map<String, Long> counts, long other) {
        Map<String, Long> kept = new LinkedHashMap<>();
        long dropped = other;
        for (Map.Entry<String, Long> entry : ordered(counts).entrySet()) {
            if (kept.size() < MAX_CATEGORIES) {
                kept.put(entry.getKey(), entry.getValue());
            } else {
                dropped += entry.getValue();
            }
        }
        return new CategoryCounts(kept, dropped);
    }

    private static Map<String, Long> ordered(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
