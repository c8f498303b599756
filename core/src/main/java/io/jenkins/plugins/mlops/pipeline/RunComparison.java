package io.jenkins.plugins.mlops.pipeline;

import java.io.Serializable;
import java.util.Locale;

/**
 * The champion and the candidate of one run, by the gate's primary metric on that run's hold-out
 * rows: the pair the run history plots. Values from different runs come from different rows; the
 * two of one run are comparable, which is what a reader of the history needs.
 *
 * @param rows the hold-out rows both models scored
 * @param champion the champion's value, or null when the run had none (the first model)
 * @param championVersion its registry version, or null
 * @param candidate the candidate's value
 * @param ciLow lower end of the interval of candidate - champion, or null
 * @param ciHigh upper end of that interval, or null
 * @param promoted whether the candidate became the champion
 * @param candidateVersion the version the candidate was registered as, or null when it was not
 */
public record RunComparison(String metric, boolean greaterIsBetter, int rows, Double champion, Integer championVersion,
        double candidate, Double ciLow, Double ciHigh, boolean promoted, Integer candidateVersion) implements Serializable {

    /** How the candidate compares with the champion, in a sentence; null without a champion. */
    public String sentence() {
        if (champion == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "on the same %,d hold-out rows %s %.4f vs %.4f for "
                + "the champion (version %s): %+.4f", rows, metric, candidate, champion, championVersion, candidate - champion));
        if (ciLow == null || ciHigh == null) {
            return text.append(" (no interval)").toString();
        }
        double worseEnd = greaterIsBetter ? ciLow : -ciHigh;
        double betterEnd = greaterIsBetter ? ciHigh : -ciLow;
        String verdict = worseEnd > 0 ? "significantly better" : betterEnd < 0 ? "significantly worse"
                : "not significantly different";
        return text.append(String.format(Locale.ROOT, " [%+.4f, %+.4f], %s", ciLow, ciHigh, verdict)).toString();
    }
}
