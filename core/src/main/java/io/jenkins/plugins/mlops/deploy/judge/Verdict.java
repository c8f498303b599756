package io.jenkins.plugins.mlops.deploy.judge;

/** What one criterion, or the whole judgement of a step, says about the candidate. */
public enum Verdict {
    /** The candidate is no worse than stable within the policy. */
    PASS,
    /** Not decidable yet: too little data, or stable fails as much (the trouble is not the candidate's). */
    INCONCLUSIVE,
    /** The backend cannot measure this (e.g. predictions behind Istio); reported, not judged. */
    NOT_MEASURED,
    /** The candidate is worse than the policy allows: roll back. */
    FAIL;

    /** The verdict of a set of criteria: any FAIL fails, then any INCONCLUSIVE holds. */
    public static Verdict combine(Iterable<Criterion> criteria) {
        Verdict overall = PASS;
        for (Criterion c : criteria) {
            if (c.verdict() == FAIL) {
                return FAIL;
            }
            if (c.verdict() == INCONCLUSIVE) {
                overall = INCONCLUSIVE;
            }
        }
        return overall;
    }
}
