package io.jenkins.plugins.mlops.deploy.judge;

import java.io.Serializable;
import java.util.List;

/** Every criterion of one step's judgement and what they say together. */
public record Judgement(List<Criterion> criteria, Verdict verdict) implements Serializable {

    public Judgement {
        criteria = List.copyOf(criteria);
    }

    /** The sentences of the criteria that decided: the failures, else what is still inconclusive. */
    public List<String> reasons() {
        Verdict deciding = verdict == Verdict.PASS ? null : verdict;
        return criteria.stream().filter(c -> c.verdict() == deciding).map(c -> c.name() + ": " + c.message()).toList();
    }
}
