package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.Util;
import hudson.util.FormValidation;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;

/**
 * The field checks of the step forms: a field is read by the step's parameter catalogue in core,
 * as the step reads it when it runs, so the form shows the message the build would fail with.
 */
final class FormChecks {
    private FormChecks() {}

    /** The catalogue's reading of {@code name}; blank is fine (the default applies). */
    static FormValidation value(ParameterCatalogue catalogue, String name, String value) {
        try {
            catalogue.check(name, value);
            return FormValidation.ok();
        } catch (BadInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** A field the step cannot run without, then the catalogue's reading of it. */
    static FormValidation required(ParameterCatalogue catalogue, String name, String value, String what) {
        return Util.fixEmptyAndTrim(value) == null ? FormValidation.error("Required: " + what + ".") : value(catalogue, name, value);
    }
}
