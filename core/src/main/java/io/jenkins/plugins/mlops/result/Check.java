package io.jenkins.plugins.mlops.result;

import java.io.Serializable;
import java.util.Objects;

/**
 * One verified expectation, the unit that every step reports and that becomes one JUnit test
 * case.
 *
 * @param name what was checked, stable across runs (e.g. {@code null_fraction}, {@code drift})
 * @param column the column it applies to, or {@code null} for a table-level check
 * @param status the verdict
 * @param observed what was measured, as a person reads it
 * @param expected the limit or expectation it was held against
 * @param message one sentence that explains the verdict
 */
public record Check(String name, String column, Status status, String observed, String expected, String message)
        implements Serializable {

    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
    }

    public static Check of(String name, String column, Status status, Object observed, Object expected, String message) {
        return new Check(name, column, status, text(observed), text(expected), message);
    }

    /** The test-case name a CI server shows: the column (if any) then the check. */
    public String qualifiedName() {
        return column == null ? name : column + "." + name;
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
