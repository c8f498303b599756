package io.jenkins.plugins.mlops.data;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One SELECT of many aggregates over a relation, so that DuckDB computes them all in a single
 * vectorised scan. Each aggregate gets a slot; the single result row is read back by slot.
 */
final class AggregateQuery {
    private final List<String> expressions = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();

    /** Adds an aggregate expression and returns its slot. */
    int add(String expression) {
        expressions.add(expression);
        outputs.add("a" + expressions.size());
        return outputs.size();
    }

    /**
     * Adds an aggregate that returns a MAP (e.g. {@code histogram}); its keys are read from the
     * returned slot and its values from the next one, as two lists that JDBC reads plainly.
     */
    int addMap(String expression) {
        expressions.add(expression);
        String alias = "a" + expressions.size();
        outputs.add("map_keys(" + alias + ")");
        outputs.add("map_values(" + alias + ")");
        return outputs.size() - 1;
    }

    boolean isEmpty() {
        return expressions.isEmpty();
    }

    String sql(String relation) {
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", outputs)).append("\nFROM (SELECT ");
        for (int i = 0; i < expressions.size(); i++) {
            sql.append(i == 0 ? "" : ",\n  ").append(expressions.get(i)).append(" AS a").append(i + 1);
        }
        return sql.append("\n  FROM ").append(relation).append(")").toString();
    }

    /** The single result row, read by slot. */
    record Row(Object[] values) {
        static Row read(ResultSet rows) throws SQLException {
            if (!rows.next()) {
                throw new SQLException("an aggregate query returned no row");
            }
            int n = rows.getMetaData().getColumnCount();
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                Object value = rows.getObject(i + 1);
                values[i] = value instanceof java.sql.Array array ? array.getArray() : value;
            }
            return new Row(values);
        }

        Object get(int slot) {
            return values[slot - 1];
        }

        long asLong(int slot) {
            Object value = get(slot);
            return value == null ? 0 : ((Number) value).longValue();
        }

        double asDouble(int slot) {
            Object value = get(slot);
            return value == null ? Double.NaN : ((Number) value).doubleValue();
        }

        String asText(int slot) {
            Object value = get(slot);
            return value == null ? null : value.toString();
        }

        Object[] asArray(int slot) {
            Object value = get(slot);
            return value == null ? new Object[0] : (Object[]) value;
        }
    }
}
