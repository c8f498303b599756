package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.Util;
import hudson.util.FormValidation;

/** The field checks the step forms share; the real validation is core's, when the step runs. */
final class FormChecks {
    private FormChecks() {}

    static FormValidation required(String value, String what) {
        return Util.fixEmptyAndTrim(value) == null ? FormValidation.error("Required: " + what + ".") : FormValidation.ok();
    }
}
