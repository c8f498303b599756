package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NumericStatsTest {
    @Test
    void integerMomentsFromCountsAreExactFarFromZero() {
        // 1..1000 three times each, shifted by 2^40: squares near 1.2e24, where a sum of squares in
        // doubles loses the variance entirely; the mean and variance are those of 1..1000.
        long offset = 1L << 40;
        Map<Long, Long> counts = new LinkedHashMap<>();
        for (long v = 1; v <= 1000; v++) {
            counts.put(offset + v, 3L);
        }

        NumericStats stats = NumericStats.ofIntegerCounts(counts);

        assertThat(stats.count()).isEqualTo(3000);
        assertThat(stats.min()).isEqualTo(offset + 1);
        assertThat(stats.max()).isEqualTo(offset + 1000);
        assertThat(stats.mean()).isEqualTo(offset + 500.5);
        assertThat(stats.std()).isEqualTo(Math.sqrt((1000.0 * 1000.0 - 1) / 12));
    }

    @Test
    void oneValueHasNoSpread() {
        NumericStats stats = NumericStats.ofIntegerCounts(Map.of(-7L, 5L));

        assertThat(stats).isEqualTo(new NumericStats(5, -7, -7, -7, 0));
    }
}
