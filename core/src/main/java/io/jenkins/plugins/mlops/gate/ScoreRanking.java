package io.jenkins.plugins.mlops.gate;

import java.util.Arrays;

/**
 * The scores of one model sorted once, highest first, with the ends of groups of equal scores
 * marked. A resample's ROC AUC and average precision are then one pass over this order with the
 * resample's row weights: O(n) per resample instead of a sort.
 *
 * <p>Both areas are computed as scikit-learn computes them: every distinct score is one
 * threshold (tied rows move together), ROC AUC is the trapezoidal area under (fpr, tpr) from
 * (0, 0), and average precision is the step sum of (R_k - R_{k-1}) * P_k over the thresholds.
 */
final class ScoreRanking {
    /** Row indices by descending score. */
    private final int[] order;
    /** Per sorted position: 1 when that row's label is positive. */
    private final byte[] positiveSorted;
    /** Per sorted position: true when the next position has a different (lower) score. */
    private final boolean[] groupEnd;

    ScoreRanking(double[] score, byte[] positive) {
        int n = score.length;
        order = descendingOrder(score);
        positiveSorted = new byte[n];
        groupEnd = new boolean[n];
        for (int k = 0; k < n; k++) {
            positiveSorted[k] = positive[order[k]];
            groupEnd[k] = k == n - 1 || score[order[k + 1]] != score[order[k]];
        }
    }

    /** {ROC AUC, average precision} of the weighted rows; NaN where a class is absent. */
    double[] areas(int[] weights) {
        double truePositives = 0;
        double falsePositives = 0;
        double previousTp = 0;
        double previousFp = 0;
        double doubledArea = 0;
        double precisionSum = 0;
        for (int k = 0; k < order.length; k++) {
            int w = weights[order[k]];
            if (positiveSorted[k] == 1) {
                truePositives += w;
            } else {
                falsePositives += w;
            }
            if (groupEnd[k]) {
                doubledArea += (falsePositives - previousFp) * (truePositives + previousTp);
                if (truePositives > previousTp) {
                    precisionSum += (truePositives - previousTp) * (truePositives / (truePositives + falsePositives));
                }
                previousTp = truePositives;
                previousFp = falsePositives;
            }
        }
        double rocAuc = truePositives == 0 || falsePositives == 0
                ? Double.NaN : doubledArea / (2 * truePositives * falsePositives);
        double averagePrecision = truePositives == 0 ? Double.NaN : precisionSum / truePositives;
        return new double[] {rocAuc, averagePrecision};
    }

    /**
     * Indices sorted by descending score without boxing: sort a copy of the scores, give each
     * row the rank of its score among the distinct values, then counting-sort the rows by rank.
     */
    private static int[] descendingOrder(double[] score) {
        int n = score.length;
        double[] key = new double[n];
        for (int i = 0; i < n; i++) {
            key[i] = score[i] + 0.0; // -0.0 becomes 0.0: equal scores must be one key for the search below
        }
        double[] sorted = key.clone();
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        double[] values = Arrays.copyOf(sorted, distinct);
        int[] rowsPerRank = new int[distinct + 1];
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[i] = distinct - 1 - Arrays.binarySearch(values, key[i]);
            rowsPerRank[rank[i] + 1]++;
        }
        for (int r = 0; r < distinct; r++) {
            rowsPerRank[r + 1] += rowsPerRank[r];
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[rowsPerRank[rank[i]]++] = i;
        }
        return order;
    }
}
