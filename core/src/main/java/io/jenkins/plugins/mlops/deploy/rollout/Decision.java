package io.jenkins.plugins.mlops.deploy.rollout;

/** What the controller did after one look at the arms. */
public enum Decision {
    /** The step is not over; keep the weight and look again. */
    CONTINUE,
    /** The step is over but the judge cannot decide yet (too little data): wait, bounded by --max-wait. */
    HOLD,
    /** The step passed: go to the next weight. */
    ADVANCE,
    /** The last judged step passed: all traffic to the candidate. */
    PROMOTE,
    /** The candidate failed, or the judge could not decide in time (fails closed): all traffic to stable. */
    ROLLBACK
}
