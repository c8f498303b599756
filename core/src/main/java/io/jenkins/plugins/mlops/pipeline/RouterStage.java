package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What the stages that run the router ({@code shadow}, {@code canary}) share: their step's
 * catalogue, the files among its values ({@code {run}} replaced, relative to the project), and the
 * two model URLs the pipeline otherwise serves itself. With {@code router}, a router that runs on
 * its own answers clients, so the first URL (production's) is not given.
 *
 * @param stage the stage's key in {@code mlops.yaml}
 * @param first the production model's URL parameter ({@code primary}, {@code stable})
 * @param second the new model's ({@code shadow}, {@code candidate})
 * @param <P> the step's parameter record
 */
record RouterStage<P>(String stage, ParameterCatalogue catalogue, Supplier<ParameterBuilder<P>> builder, List<String> files,
        String first, String second) {

    /** The values as the file gave them, checked as the step will check them, so that a mistake fails when the file is read. */
    Map<String, Object> checked(Map<String, Object> values) {
        Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if (copy.get("router") != null) {
            if (copy.get(first) != null) {
                throw Keys.invalid(stage + "." + first, "with router, the running router answers clients: give " + second
                        + " (or let the pipeline serve it), not " + first);
            }
        } else {
            StageKeys.bothOrNeither(stage, copy, first, second);
        }
        StageKeys.check(stage, parameters(copy, UnaryOperator.identity()));
        return copy;
    }

    /** The stage's values by parameter name; an unknown key names its line. */
    Map<String, Object> byName(Map<String, Object> yaml) {
        return StageKeys.byName(stage, catalogue, yaml);
    }

    /** The stage's parameters with the pipeline's placeholders replaced in the log and the files; the runner adds served URLs. */
    ParameterBuilder<P> parameters(Map<String, Object> values, UnaryOperator<String> placeholders) {
        return StageKeys.routerDefaults(builder.get(), values, placeholders, files);
    }

    /** The pipeline serves the models itself unless the file names production's (or a running router serves it). */
    boolean servesItself(Map<String, Object> values) {
        return values.get(first) == null && values.get("router") == null;
    }
}
