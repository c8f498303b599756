package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.io.BadInputException;

/**
 * The baseline model's predictions on the hold-out set, in a CSV, Parquet or JSON-lines file.
 *
 * @param file the path of the predictions file (a string: configs cross to Jenkins agents serialised)
 */
public record BaselinePredictions(String file) implements BaselineSource {

    public BaselinePredictions {
        if (file == null || file.isBlank()) {
            throw new BadInputException("the baseline predictions file is not set");
        }
    }

    @Override
    public String description() {
        return "predictions in " + file;
    }
}
