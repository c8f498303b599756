package io.jenkins.plugins.mlops.deploy.metrics;

import io.jenkins.plugins.mlops.deploy.log.LogSchema;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.PostgresReadOnly;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the PostgreSQL role that runs the metrics may do, read from the server's catalog. A
 * superuser, or a member of a role that reaches the server's files and programs, is refused: one
 * SELECT of theirs can read or write files as the database's OS user ({@code pg_read_file},
 * {@code lo_export}), which neither a read-only transaction nor a one-statement check stops. A role
 * that can write the log's tables is only warned about: the read-only transaction already refuses
 * every write, so the privilege is a missing second wall, not a hole (docs/canary.md, "The metric user").
 *
 * @param unreadable the log's tables the user cannot SELECT
 * @param writable the log's tables the user can INSERT, UPDATE, DELETE or TRUNCATE
 */
record MetricRole(PostgresReadOnly.RoleReach reach, List<String> unreadable, List<String> writable) {
    private static final String FIX = "; run the metrics as a role that can only read " + LogSchema.PREDICTIONS + " and "
            + LogSchema.FEEDBACK + " (MLOPS_METRIC_USER and MLOPS_METRIC_PASSWORD; the GRANTs are in docs/canary.md,"
            + " 'The metric user')";

    static MetricRole of(Connection connection) throws SQLException {
        PostgresReadOnly.RoleReach reach = PostgresReadOnly.RoleReach.of(connection);
        List<String> unreadable = new ArrayList<>();
        List<String> writable = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT t,"
                + " has_table_privilege(to_regclass(t)::oid, 'SELECT'),"
                + " has_table_privilege(to_regclass(t)::oid, 'INSERT, UPDATE, DELETE, TRUNCATE')"
                + " FROM (VALUES (?), (?)) AS tables(t) WHERE to_regclass(t) IS NOT NULL")) {
            statement.setString(1, LogSchema.PREDICTIONS);
            statement.setString(2, LogSchema.FEEDBACK);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (!rows.getBoolean(2)) {
                        unreadable.add(rows.getString(1));
                    }
                    if (rows.getBoolean(3)) {
                        writable.add(rows.getString(1));
                    }
                }
            }
        }
        return new MetricRole(reach, unreadable, writable);
    }

    /** Refuses the role, or returns the warnings it earns. */
    List<String> verdict() {
        reach.refuseServerAccess("the metric user", FIX);
        String name = reach.name();
        if (!unreadable.isEmpty()) {
            throw new BadInputException("the metric user '" + name + "' cannot read " + String.join(", ", unreadable)
                    + ": GRANT SELECT ON " + String.join(", ", unreadable) + " TO " + name);
        }
        if (!writable.isEmpty()) {
            return List.of("the metric user '" + name + "' can write " + String.join(" and ", writable) + "; only the"
                    + " read-only transaction keeps a metric from changing the log" + FIX);
        }
        return List.of();
    }
}
