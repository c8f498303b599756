package io.jenkins.plugins.mlops.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One SELECT of many aggregates over a relation, so that DuckDB computes them all in a single
 * vectorised scan. Each aggregate gets a slot; the single result row is read back by slot.
 */
final class AggregateQuery {
    private final List<String> expressions = new ArrayList<>();

    /** Adds an aggregate expression and returns its slot. */
    int add(String expression) {
        expressions.add(expression);
        return expressions.size();
    }

    String sql(String relation) {
        return sql(relation, 0, expressions.size());
    }

    private String sql(String relation, int from, int to) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = from; i < to; i++) {
            sql.append(i == from ? "" : ",\n  ").append(expressions.get(i)).append(" AS a").append(i + 1);
        }
        return sql.append("\nFROM ").append(relation).toString();
    }

    /**
     * Runs the aggregates over {@code relation}: in one scan, or, when there are more than the
     * engine can hold in one query (a very wide file), in as many scans as it takes.
     */
    Row run(ProfileEngine engine, String relation, DataSource source) {
        int batch = engine.aggregatesPerScan();
        Object[] values = new Object[expressions.size()];
        for (int from = 0; from < expressions.size(); from += batch) {
            int to = Math.min(expressions.size(), from + batch);
            List<Object[]> rows = engine.rows(sql(relation, from, to), source);
            if (rows.size() != 1) {
                throw new IllegalStateException("an aggregate query returned " + rows.size() + " rows, not one");
            }
            System.arraycopy(rows.get(0), 0, values, from, to - from);
        }
        return new Row(values);
    }

    /** The single result row, read by slot. */
    record Row(Object[] values) {
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
    }
}
