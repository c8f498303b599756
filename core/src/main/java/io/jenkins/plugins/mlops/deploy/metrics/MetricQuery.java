package io.jenkins.plugins.mlops.deploy.metrics;

import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.io.NamedSql;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A metric's SQL as it is sent: the user's text as the subquery of {@code SELECT * FROM (...)},
 * so that the database's own grammar accepts nothing but one SELECT there (no INSERT, COPY, VACUUM
 * INTO, DDL, no data-modifying WITH), with {@code :variant}, {@code :from} and {@code :to} as {@code ?}.
 * The user's text ends on its own line, so a trailing {@code --} comment cannot swallow the closing parenthesis.
 */
record MetricQuery(String name, String sql, List<String> names) {
    private static final Set<String> BOUND = Set.of("variant", "from", "to");

    static MetricQuery of(BusinessMetric metric) {
        NamedSql parameters = NamedSql.parse(withoutTrailingSemicolon(metric.query()), BOUND, "--metric " + metric.name());
        return new MetricQuery(metric.name(), "SELECT * FROM (\n" + parameters.sql() + "\n) AS mlops_metric", parameters.names());
    }

    void bind(PreparedStatement statement, String variant, Instant from, Instant to) throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            switch (names.get(i)) {
                case "variant" -> statement.setString(i + 1, variant);
                case "from" -> statement.setLong(i + 1, from.toEpochMilli());
                default -> statement.setLong(i + 1, to.toEpochMilli());
            }
        }
    }

    /** One {@code ;} closing the text, as people write in a SQL console; any other is the database's to refuse. */
    private static String withoutTrailingSemicolon(String query) {
        String trimmed = query.strip();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
