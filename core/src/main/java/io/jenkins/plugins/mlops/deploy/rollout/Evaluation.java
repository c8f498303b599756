package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.deploy.judge.Criterion;
import io.jenkins.plugins.mlops.deploy.judge.Verdict;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * One look of the controller at both arms: the weight held, what each arm served since the
 * step began, the judge's verdict and what the controller did. The rollout's timeline.
 *
 * @param elapsedS seconds since the rollout began
 * @param stepElapsedS seconds since this weight was set
 */
public record Evaluation(Instant at, double elapsedS, int weight, double stepElapsedS, ArmSummary stable,
                         ArmSummary candidate, Verdict verdict, Decision decision, List<Criterion> criteria,
                         List<String> reasons) implements Serializable {

    public Evaluation {
        criteria = criteria == null ? List.of() : List.copyOf(criteria);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** The reasons as one text: each is a sentence of its own. */
    public String reasonText() {
        return String.join(" ", reasons);
    }
}
