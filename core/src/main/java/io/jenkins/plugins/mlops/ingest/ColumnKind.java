package io.jenkins.plugins.mlops.ingest;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.duckdb.DuckDBAppender;

/**
 * How one JDBC column type becomes a Parquet column, and how its value is copied. Exact numerics
 * (NUMERIC) become DOUBLE, as the data step reads them anyway; a timestamp with a time zone is
 * stored in UTC; anything else (text, UUID, JSON, arrays) as its text.
 */
enum ColumnKind {
    BOOLEAN("BOOLEAN"),
    INTEGER("INTEGER"),
    BIGINT("BIGINT"),
    DOUBLE("DOUBLE"),
    DATE("DATE"),
    TIMESTAMP("TIMESTAMP"),
    TIMESTAMP_UTC("TIMESTAMP"),
    TEXT("VARCHAR");

    private final String duckDbType;

    ColumnKind(String duckDbType) {
        this.duckDbType = duckDbType;
    }

    String duckDbType() {
        return duckDbType;
    }

    static ColumnKind of(int jdbcType) {
        return switch (jdbcType) {
            case Types.BOOLEAN, Types.BIT -> BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> INTEGER;
            case Types.BIGINT -> BIGINT;
            case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL -> DOUBLE;
            case Types.DATE -> DATE;
            case Types.TIMESTAMP -> TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_UTC;
            default -> TEXT;
        };
    }

    /** Copies column {@code index} of the current row (NULL stays NULL). */
    void copy(ResultSet row, int index, DuckDBAppender appender) throws SQLException {
        switch (this) {
            case BOOLEAN -> {
                boolean value = row.getBoolean(index);
                appendOrNull(row, appender, () -> appender.append(value));
            }
            case INTEGER -> {
                int value = row.getInt(index);
                appendOrNull(row, appender, () -> appender.append(value));
            }
            case BIGINT -> {
                long value = row.getLong(index);
                appendOrNull(row, appender, () -> appender.append(value));
            }
            case DOUBLE -> {
                double value = row.getDouble(index);
                appendOrNull(row, appender, () -> appender.append(value));
            }
            case DATE -> appendObject(appender, row.getObject(index, LocalDate.class));
            case TIMESTAMP -> appendObject(appender, row.getObject(index, LocalDateTime.class));
            case TIMESTAMP_UTC -> {
                OffsetDateTime value = row.getObject(index, OffsetDateTime.class);
                appendObject(appender, value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
            }
            default -> {
                String value = row.getString(index);
                if (value == null) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
        }
    }

    private interface Append {
        void run() throws SQLException;
    }

    private static void appendOrNull(ResultSet row, DuckDBAppender appender, Append append) throws SQLException {
        if (row.wasNull()) {
            appender.appendNull();
        } else {
            append.run();
        }
    }

    private static void appendObject(DuckDBAppender appender, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else if (value instanceof LocalDate date) {
            appender.append(date);
        } else {
            appender.append((LocalDateTime) value);
        }
    }
}
