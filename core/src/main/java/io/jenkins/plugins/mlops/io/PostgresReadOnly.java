package io.jenkins.plugins.mlops.io;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Parser;
import org.postgresql.jdbc.PreferQueryMode;

/**
 * The sandbox a user's SELECT runs in on PostgreSQL, shared by the canary's SQL metrics and
 * {@code ingest}. PgJDBC splits a text at each top-level {@code ;} and runs the parts one after
 * another, which is how {@code SELECT 1; ROLLBACK; BEGIN READ WRITE; DROP TABLE ...} once escaped
 * the read-only transaction. So the driver's own parser must see one statement, and then the
 * server parses the whole text as one extended-protocol Parse message, which it refuses when it
 * holds several commands. The query runs in a {@code READ ONLY} transaction with a server-side
 * {@code statement_timeout}, as a role that cannot reach the server's files.
 */
public final class PostgresReadOnly {

    private PostgresReadOnly() {}

    /**
     * Starts the read-only transaction (autocommit off) with the statement timeout held by the server.
     *
     * @param url what the URL is, for the message, e.g. "the prediction log's URL"
     * @param unit what one query is, for the message, e.g. "a metric"
     */
    public static void begin(Connection connection, Duration timeout, String url, String unit) throws SQLException {
        if (connection.unwrap(PGConnection.class).getPreferQueryMode() == PreferQueryMode.SIMPLE) {
            throw new BadInputException(url + " sets preferQueryMode=simple, which sends " + unit + " as"
                    + " plain text where every statement in it runs; remove it from the URL");
        }
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try (Statement statement = connection.createStatement()) {
            // Explicit, not only setReadOnly: a URL with readOnlyMode=ignore would turn that into nothing.
            statement.execute("SET TRANSACTION READ ONLY");
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
            statement.setString(1, Math.max(1, timeout.toMillis()) + "ms");
            statement.execute();
        }
    }

    /**
     * Refuses (bad input, nothing run) a text that the driver would send as more than one statement.
     *
     * @param what the query's name for the message, e.g. {@code --metric m}
     * @param unit what it must be, e.g. "a metric is exactly one SELECT"
     */
    public static void requireOneStatement(Connection connection, String sql, String what, String unit) throws SQLException {
        boolean standardStrings = connection.unwrap(BaseConnection.class).getStandardConformingStrings();
        String escaped = Parser.replaceProcessing(sql, true, standardStrings);
        int statements = Parser.parseJdbcSql(escaped, standardStrings, true, true, false, false).size();
        if (statements != 1) {
            throw new BadInputException(what + ": the query is " + statements + " statements; " + unit);
        }
    }

    /**
     * How far the connection's role reaches beyond the database, read from the server's catalog.
     * A superuser, or a member of a role that reaches the server's files and programs, can read or
     * write files as the database's OS user with one SELECT ({@code pg_read_file}, {@code lo_export}),
     * which neither a read-only transaction nor a one-statement check stops.
     *
     * @param serverRoles the predefined roles that reach outside the database that the user is a member of
     */
    public record RoleReach(String name, boolean superuser, List<String> serverRoles) {

        public static RoleReach of(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("SELECT current_user,"
                    + " EXISTS (SELECT 1 FROM pg_roles WHERE rolsuper AND pg_has_role(current_user, oid, 'MEMBER')),"
                    + " ARRAY(SELECT r FROM unnest(ARRAY['pg_read_server_files', 'pg_write_server_files',"
                    + " 'pg_execute_server_program']) AS r WHERE pg_has_role(current_user, r, 'MEMBER') ORDER BY r)");
                    ResultSet row = statement.executeQuery()) {
                row.next();
                Array roles = row.getArray(3);
                return new RoleReach(row.getString(1), row.getBoolean(2), Arrays.asList((String[]) roles.getArray()));
            }
        }

        /**
         * Refuses a role that reaches the server's files.
         *
         * @param who the role's part, e.g. "the metric user"
         * @param fix what to do instead, appended to the message
         */
        public void refuseServerAccess(String who, String fix) {
            if (superuser) {
                throw new BadInputException(who + " '" + name + "' is a PostgreSQL superuser: one SELECT of theirs can read"
                        + " and write the server's files (pg_read_file, lo_export)" + fix);
            }
            if (!serverRoles.isEmpty()) {
                throw new BadInputException(who + " '" + name + "' is a member of " + String.join(", ", serverRoles)
                        + ": one SELECT of theirs can reach the server's files or programs" + fix);
            }
        }
    }
}
