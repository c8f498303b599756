package io.jenkins.plugins.mlops.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The logical type of a column, as a schema names it; DuckDB's physical types map onto these. */
public enum ColumnType {
    INTEGER, FLOAT, STRING, BOOLEAN, DATE, TIMESTAMP, OTHER;

    /** Maps a DuckDB type name (e.g. {@code BIGINT}, {@code DECIMAL(10,2)}, {@code TIMESTAMP WITH TIME ZONE}). */
    public static ColumnType fromEngineType(String engineType) {
        String type = engineType.toUpperCase(Locale.ROOT);
        if (type.matches("U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)")) {
            return INTEGER;
        }
        if (type.equals("FLOAT") || type.equals("DOUBLE") || type.startsWith("DECIMAL")) {
            return FLOAT;
        }
        if (type.equals("VARCHAR") || type.equals("UUID")) {
            return STRING;
        }
        if (type.equals("BOOLEAN")) {
            return BOOLEAN;
        }
        if (type.equals("DATE")) {
            return DATE;
        }
        if (type.startsWith("TIMESTAMP")) {
            return TIMESTAMP;
        }
        return OTHER;
    }

    /**
     * Whether data of type {@code actual} satisfies a schema that says this type. Widening is
     * allowed (integers are valid floats, dates valid timestamps, anything is a valid string);
     * narrowing is not: a float column where the schema says integer is a type change.
     */
    public boolean accepts(ColumnType actual) {
        return this == actual
                || this == FLOAT && actual == INTEGER
                || this == TIMESTAMP && actual == DATE
                || this == STRING && actual != OTHER;
    }

    public boolean isNumeric() {
        return this == INTEGER || this == FLOAT;
    }

    /** Temporal columns move forward by nature, so like IDs they are not range- or drift-tested. */
    public boolean isTemporal() {
        return this == DATE || this == TIMESTAMP;
    }

    @JsonValue
    public String schemaName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ColumnType fromSchemaName(String name) {
        // No valueOf: its exception would be the root cause Jackson reports instead of this message.
        return Arrays.stream(values()).filter(type -> type.schemaName().equals(name.strip().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown type '" + name + "'; use one of "
                        + Arrays.stream(values()).map(ColumnType::schemaName).collect(Collectors.joining(", "))));
    }
}
