package io.jenkins.plugins.mlops.gate;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Classification metrics as scikit-learn 1.9 defines them, for one model:
 * <ul>
 *   <li>accuracy for any number of classes;</li>
 *   <li>precision, recall, f1 for a binary problem with the positive class given (scikit-learn's
 *       {@code average='binary'}); with more than two classes they are undefined, since a
 *       macro or micro average is a different metric the user should ask for by name;</li>
 *   <li>roc_auc, pr_auc (average precision), log_loss (scores clipped to [eps, 1-eps], eps the
 *       float64 machine epsilon) and brier from the positive-class score; ties in the score are
 *       one threshold, as in scikit-learn's curves.</li>
 * </ul>
 * Ranking metrics sort the scores once; each resample then walks that order in O(n), adding the
 * resample's weights, instead of sorting again.
 */
final class ClassificationEvaluator implements MetricEvaluator {
    /** scikit-learn's log-loss clip: {@code np.finfo(np.float64).eps}. */
    static final double LOG_LOSS_EPSILON = Math.ulp(1.0);

    private final List<Metric> metrics;
    private final ClassCoding classes;
    private final int[] labelClass;
    private final int[] predictedClass;
    private final double[] score;
    /** Per row: 1 when the label is the positive class. */
    private final byte[] positive;
    /** Per row: 1 when the predicted class is the positive class. */
    private final byte[] predictedPositive;
    private final byte[] correct;
    private final double[] logLossTerm;
    private final double[] brierTerm;
    private final ScoreRanking ranking;
    /** Per metric: why it is undefined whatever rows are drawn (the data's shape), or null. */
    private final String[] undefinedByDesign;

    ClassificationEvaluator(int[] labelClass, int[] predictedClass, double[] score, ClassCoding classes,
            List<Metric> metrics) {
        this.metrics = List.copyOf(metrics);
        this.classes = classes;
        this.labelClass = labelClass;
        this.predictedClass = predictedClass;
        this.score = score;
        int n = labelClass.length;
        positive = new byte[n];
        predictedPositive = new byte[n];
        correct = new byte[n];
        for (int i = 0; i < n; i++) {
            positive[i] = (byte) (labelClass[i] == classes.positive() ? 1 : 0);
            predictedPositive[i] = (byte) (predictedClass[i] == classes.positive() ? 1 : 0);
            correct[i] = (byte) (labelClass[i] == predictedClass[i] ? 1 : 0);
        }
        boolean scoreInUnitRange = score != null && inUnitRange(score);
        logLossTerm = metrics.contains(Metric.LOG_LOSS) && scoreInUnitRange ? logLossTerms(score, positive) : null;
        brierTerm = metrics.contains(Metric.BRIER) && scoreInUnitRange ? brierTerms(score, positive) : null;
        ranking = score != null && (metrics.contains(Metric.ROC_AUC) || metrics.contains(Metric.PR_AUC))
                ? new ScoreRanking(score, positive) : null;
        undefinedByDesign = this.metrics.stream().map(this::undefinedByDesign).toArray(String[]::new);
    }

    @Override
    public List<Metric> metrics() {
        return metrics;
    }

    @Override
    public double[] evaluate(int[] weights) {
        Sums sums = sums(weights);
        double[] curves = ranking == null ? null : ranking.areas(weights);
        double[] values = new double[metrics.size()];
        for (int m = 0; m < values.length; m++) {
            Metric metric = metrics.get(m);
            if (undefinedByDesign[m] != null) {
                values[m] = Double.NaN;
                continue;
            }
            values[m] = switch (metric) {
                case ACCURACY -> sums.correct / sums.total;
                case PRECISION -> ratio(sums.truePositive, sums.truePositive + sums.falsePositive);
                case RECALL -> ratio(sums.truePositive, sums.truePositive + sums.falseNegative);
                case F1 -> ratio(2 * sums.truePositive, 2 * sums.truePositive + sums.falsePositive + sums.falseNegative);
                case ROC_AUC -> curves[0];
                case PR_AUC -> curves[1];
                case LOG_LOSS -> sums.logLoss / sums.total;
                case BRIER -> sums.brier / sums.total;
                default -> throw new IllegalArgumentException(metric + " is not a classification metric");
            };
        }
        return values;
    }

    @Override
    public String undefinedReason(Metric metric) {
        String byDesign = undefinedByDesign(metric);
        if (byDesign != null) {
            return byDesign;
        }
        String positiveClass = "the positive class " + classes.positiveName();
        int[] ones = new int[labelClass.length];
        Arrays.fill(ones, 1);
        Sums counts = sums(ones);
        long positives = 0;
        for (byte p : positive) {
            positives += p;
        }
        return switch (metric) {
            case PRECISION -> counts.truePositive + counts.falsePositive == 0
                    ? "the model predicts no example as " + positiveClass : null;
            case RECALL -> positives == 0 ? "no label is " + positiveClass : null;
            case F1 -> positives == 0 && counts.falsePositive == 0
                    ? "neither the labels nor the predictions contain " + positiveClass : null;
            case ROC_AUC -> positives == 0 || positives == labelClass.length
                    ? "the labels hold only one class, so there is no ranking to measure" : null;
            case PR_AUC -> positives == 0 ? "no label is " + positiveClass : null;
            default -> null;
        };
    }

    /** Reasons that hold for every resample: the data's shape, not the rows drawn. */
    private String undefinedByDesign(Metric metric) {
        if (metric == Metric.ACCURACY) {
            return null;
        }
        if (metric.needsScore() && score == null) {
            return metric.id() + " needs a score column (--score): the probability of the positive class";
        }
        int[] observed = metric.needsScore() ? distinct(labelClass, null) : distinct(labelClass, predictedClass);
        if (observed.length > 2) {
            return metric.id() + " is binary here and the data has " + observed.length + " classes "
                    + classes.names(observed) + "; use accuracy for multiclass";
        }
        if (observed.length == 2 && Arrays.stream(observed).noneMatch(c -> c == classes.positive())) {
            return "the positive class " + classes.positiveName() + " is not among the classes "
                    + classes.names(observed) + "; set --positive-class";
        }
        if ((metric == Metric.LOG_LOSS || metric == Metric.BRIER) && !inUnitRange(score)) {
            return metric.id() + " needs probabilities, and the score column has values outside [0, 1]";
        }
        return null;
    }

    /** Every weighted sum the non-ranking metrics need, in one pass over the rows (memory is the cost). */
    private Sums sums(int[] weights) {
        boolean withLogLoss = logLossTerm != null;
        boolean withBrier = brierTerm != null;
        double total = 0;
        double correctSum = 0;
        double truePositive = 0;
        double falsePositive = 0;
        double falseNegative = 0;
        double logLoss = 0;
        double brier = 0;
        for (int i = 0; i < weights.length; i++) {
            int w = weights[i];
            total += w;
            correctSum += w * correct[i];
            int label = positive[i];
            int predicted = predictedPositive[i];
            truePositive += w * (label & predicted);
            falsePositive += w * (predicted & ~label & 1);
            falseNegative += w * (label & ~predicted & 1);
            if (withLogLoss) {
                logLoss += w * logLossTerm[i];
            }
            if (withBrier) {
                brier += w * brierTerm[i];
            }
        }
        return new Sums(total, correctSum, truePositive, falsePositive, falseNegative, logLoss, brier);
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? Double.NaN : numerator / denominator;
    }

    private static double[] logLossTerms(double[] score, byte[] positive) {
        double[] terms = new double[score.length];
        for (int i = 0; i < score.length; i++) {
            // scikit-learn builds [1 - p, p] and clips each column, so a negative row clips 1 - p.
            double probabilityOfLabel = positive[i] == 1 ? score[i] : 1 - score[i];
            terms[i] = -Math.log(Math.min(Math.max(probabilityOfLabel, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON));
        }
        return terms;
    }

    private static double[] brierTerms(double[] score, byte[] positive) {
        double[] terms = new double[score.length];
        for (int i = 0; i < score.length; i++) {
            double error = positive[i] - score[i];
            terms[i] = error * error;
        }
        return terms;
    }

    private static boolean inUnitRange(double[] values) {
        for (double v : values) {
            if (v < 0 || v > 1) {
                return false;
            }
        }
        return true;
    }

    private static int[] distinct(int[] first, int[] second) {
        BitSet seen = new BitSet();
        for (int c : first) {
            seen.set(c);
        }
        if (second != null) {
            for (int c : second) {
                seen.set(c);
            }
        }
        return seen.stream().toArray();
    }

    private record Sums(double total, double correct, double truePositive, double falsePositive, double falseNegative,
            double logLoss, double brier) {}
}
