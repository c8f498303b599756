package io.jenkins.plugins.mlops.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jenkins.plugins.mlops.result.Status;
import java.io.Serializable;

/**
 * A check the user writes in SQL over the view {@code data}: the query returns the rows that
 * violate the expectation, and the check fails when it returns more than {@code max_rows}.
 *
 * @param name stable name, shown as the check's name
 * @param sql e.g. {@code SELECT * FROM data WHERE tenure_months > age * 12}
 * @param maxRows violating rows tolerated (default 0)
 * @param severity {@code fail} (default) or {@code warn}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SqlCheck(String name, String sql, Long maxRows, Severity severity) implements Serializable {

    public SqlCheck {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a check needs a name");
        }
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("check " + name + " needs sql");
        }
        if (maxRows != null && maxRows < 0) {
            throw new IllegalArgumentException("max_rows must not be negative");
        }
    }

    long allowedRows() {
        return maxRows == null ? 0 : maxRows;
    }

    Status failureStatus() {
        return severity == Severity.WARN ? Status.WARN : Status.FAIL;
    }

    /** How a violated custom check counts. */
    public enum Severity {
        WARN, FAIL;

        @com.fasterxml.jackson.annotation.JsonValue
        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
