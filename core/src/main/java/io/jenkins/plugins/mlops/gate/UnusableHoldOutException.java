package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.result.Check;
import java.util.List;

/**
 * The files were readable but the gate cannot evaluate them: a missing column, NaN, infinite or
 * empty labels or predictions. Unlike bad input (exit 2), the gate turns these into ERROR checks
 * and a FAIL decision with the reasons in the report: it fails closed.
 */
final class UnusableHoldOutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Check> problems;

    UnusableHoldOutException(List<Check> problems) {
        super(problems.get(0).message());
        this.problems = List.copyOf(problems);
    }

    List<Check> problems() {
        return problems;
    }
}
