package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.io.BadInputException;

/**
 * The registered model, version or alias that the user named does not exist. It is the user's
 * input that is wrong (a typo, an alias never set), so the command line exits 2, not 3.
 */
public class ModelNotFoundException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public ModelNotFoundException(String message) {
        super(message);
    }
}
