package io.jenkins.plugins.mlops.result;

import java.time.Instant;
import java.util.List;

/** A minimal step result for testing the shared envelope and writers. */
public record SampleResult(String schema, String step, Status status, Instant started, double durationS,
        String summary, List<Check> checks, long rowsScanned) implements StepResult {

    public static SampleResult of(Check... checks) {
        List<Check> list = List.of(checks);
        return new SampleResult("mlops.sample/v1", "sampleStep", Status.worstOf(list),
                Instant.parse("2026-11-26T08:00:00Z"), 1.5, "Sample <summary> & more", list, 42);
    }
}
