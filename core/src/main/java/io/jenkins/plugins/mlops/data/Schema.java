package io.jenkins.plugins.mlops.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The expectations a dataset is validated against, written by hand or inferred from a
 * reference ({@link SchemaInference}) and then edited, TFDV-style.
 *
 * @param strict true: a column the schema does not list fails the check
 * @param rowCount bounds on the number of rows
 * @param columns expectations per column, by name, in order
 * @param checks custom SQL checks
 * @param drift thresholds of the drift tests (defaults when absent)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"strict", "row_count", "columns", "checks", "drift"})
public record Schema(Boolean strict, RowCountBounds rowCount, Map<String, ColumnSchema> columns, List<SqlCheck> checks,
        DriftThresholds drift) implements Serializable {

    public Schema {
        columns = columns == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        checks = checks == null ? List.of() : List.copyOf(checks);
        Set<String> names = new HashSet<>();
        for (SqlCheck check : checks) {
            if (!names.add(check.name())) {
                throw new IllegalArgumentException("two checks are named " + check.name());
            }
        }
        columns.forEach((name, column) -> {
            if (column == null) {
                throw new IllegalArgumentException("column " + name + " has no settings; write {} for none");
            }
        });
    }

    boolean strictColumns() {
        return Boolean.TRUE.equals(strict);
    }

    DriftThresholds driftThresholds() {
        return drift == null ? DriftThresholds.DEFAULT : drift;
    }
}
