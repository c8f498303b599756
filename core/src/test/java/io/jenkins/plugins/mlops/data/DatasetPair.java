package io.jenkins.plugins.mlops.data;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One dataset pair of the engine-equality tests ({@link ArrowVerdictsTest}, {@link SparkVerdictsTest}):
 * the (name, reference, current, schema or null) arguments that {@link ProfilerDatasets#pairs} gives
 * its parameterised tests, unpacked once here rather than by index in each test.
 */
record DatasetPair(String name, String reference, String current, String schema) {
    private static final Path CHURN = Path.of("..", "examples", "churn", "data");

    static DatasetPair of(Arguments arguments) {
        Object[] args = arguments.get();
        return new DatasetPair((String) args[0], args[1].toString(), args[2].toString(), args[3] == null ? null : args[3].toString());
    }

    /** The churn example's current and drifted batches against its reference, with its schema, and the drifted one with an inferred schema. */
    static Stream<Arguments> churnExample() {
        Path schema = CHURN.getParent().resolve("schema.yaml");
        return Stream.of(
                Arguments.of("churn example, current batch", CHURN.resolve("reference.csv"), CHURN.resolve("current.csv"), schema),
                Arguments.of("churn example, drifted batch", CHURN.resolve("reference.csv"), CHURN.resolve("drifted.csv"), schema),
                Arguments.of("churn example, drifted batch, inferred schema", CHURN.resolve("reference.csv"), CHURN.resolve("drifted.csv"), null));
    }

    /** This pair's validation on {@code engine}: current data against the reference data, with the schema when there is one. */
    ValidationConfig validation(EngineSettings engine) {
        return new ValidationConfig(current, reference, null, schema, engine);
    }
}
