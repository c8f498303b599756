package io.jenkins.plugins.mlops.ci;

import java.io.Serializable;
import java.util.List;

/**
 * What a JUnit file says, counted from its test cases (the suites' own counts are not trusted).
 *
 * @param failed the first failing cases, at most {@link JunitFiles#MAX_FAILED_SHOWN}
 */
public record JunitSummary(int tests, int failures, int errors, int skipped, List<FailedTest> failed)
        implements Serializable {

    public JunitSummary {
        failed = List.copyOf(failed);
    }

    public boolean hasProblems() {
        return failures + errors > 0;
    }
}
