package io.jenkins.plugins.mlops.jenkins.steps;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.StepResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A result as the Pipeline gets it: the same keys as the step's JSON report ({@code decision},
 * {@code primary_metric}, {@code checks[0].status}), as plain maps, lists, strings, numbers and
 * booleans, which CPS can keep in {@code program.dat} and the sandbox lets scripts read.
 */
final class ResultMaps {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private ResultMaps() {}

    static Map<String, Object> of(StepResult result) {
        return Json.mapper().convertValue(result, MAP);
    }
}
