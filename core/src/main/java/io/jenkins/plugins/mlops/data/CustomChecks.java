package io.jenkins.plugins.mlops.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Messages;
import io.jenkins.plugins.mlops.io.Sql;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs the schema's SQL checks over the view {@code data}. Each query returns the violating rows;
 * DuckDB counts them, so they never reach Java either.
 *
 * <p>Schemas come from pull requests, so the SQL is untrusted. It runs in its own DuckDB
 * ({@link ScanEngine#sandboxed}) that can read only the data's files and can change no setting,
 * and each check must parse, by DuckDB's own parser, as exactly one SELECT. The count goes
 * through DuckDB's {@code query()} table function, which takes the SQL as a quoted string, so no
 * text in a check can end the wrapping query and start another statement.
 */
final class CustomChecks implements AutoCloseable {
    static final String VIEW = "data";

    private final ScanEngine sandbox;
    private final List<SqlCheck> checks;

    private CustomChecks(ScanEngine sandbox, List<SqlCheck> checks) {
        this.sandbox = sandbox;
        this.checks = checks;
    }

    /**
     * Opens the sandbox over {@code source} and parses and binds every check, so that a typo or a
     * forbidden statement is bad input before the long scans start.
     */
    static CustomChecks prepare(List<SqlCheck> checks, DataSource source, EngineSettings settings, String schemaFile) {
        if (checks.isEmpty()) {
            return new CustomChecks(null, checks);
        }
        if (source.format() == io.jenkins.plugins.mlops.io.DataFormat.TABLE) {
            throw new BadInputException(schemaFile + ": custom SQL checks run in DuckDB's sandbox over files, and "
                    + source.path() + " is a table");
        }
        ScanEngine sandbox = ScanEngine.sandboxed(settings, VIEW, source);
        try {
            for (SqlCheck check : checks) {
                String where = schemaFile + ": checks." + check.name() + ": ";
                requireOneSelect(sandbox, check, where);
                try {
                    sandbox.prepare(countQuery(check));
                } catch (SQLException e) {
                    throw new BadInputException(where + "the SQL does not run: " + Messages.firstLine(e.getMessage())
                            + hint(e), e);
                }
            }
            return new CustomChecks(sandbox, checks);
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    List<Check> run(Consumer<String> progress) {
        List<Check> out = new ArrayList<>();
        for (SqlCheck check : checks) {
            progress.accept("custom check " + check.name());
            String name = "sql:" + check.name();
            String expected = "<= " + check.allowedRows() + " violating rows";
            try {
                long rows = sandbox.queryUserSql(countQuery(check), r -> r.next() ? r.getLong(1) : 0);
                boolean ok = rows <= check.allowedRows();
                out.add(Check.of(name, null, ok ? Status.PASS : check.failureStatus(),
                        String.format(Locale.ROOT, "%,d violating rows", rows), expected,
                        ok ? "The query returned no more rows than allowed." : "The query returned rows that violate the check: " + check.sql()));
            } catch (SQLException e) {
                // Fail closed: a check that cannot run has not passed.
                out.add(Check.of(name, null, Status.ERROR, "query failed", expected, Messages.firstLine(e.getMessage())));
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** DuckDB's parser says how many statements the text holds and whether they are SELECTs. */
    private static void requireOneSelect(ScanEngine sandbox, SqlCheck check, String where) {
        JsonNode parsed;
        try {
            String json = sandbox.queryUserSql("SELECT json_serialize_sql(" + Sql.literal(check.sql()) + ")",
                    r -> r.next() ? r.getString(1) : "{}");
            parsed = Json.mapper().readTree(json);
        } catch (SQLException | IOException e) {
            throw new BadInputException(where + "cannot parse the SQL: " + Messages.firstLine(e.getMessage()), e);
        }
        if (parsed.path("error").asBoolean(false)) {
            String message = parsed.path("error_message").asText("");
            if ("parser".equals(parsed.path("error_type").asText())) {
                throw new BadInputException(where + "syntax error: " + message);
            }
            throw new BadInputException(where + "must be one SELECT statement that returns the violating rows;"
                    + " other statements (COPY, SET, INSTALL, ATTACH, PRAGMA, CREATE, …) are not allowed (" + message + ")");
        }
        int statements = parsed.path("statements").size();
        if (statements != 1) {
            throw new BadInputException(where + "must be exactly one SELECT statement, not " + statements);
        }
    }

    private static String hint(SQLException e) {
        return String.valueOf(e.getMessage()).startsWith("Permission Error")
                ? " (a check reads only the view " + VIEW + "; files, URLs and settings are out of its reach)" : "";
    }

    private static String countQuery(SqlCheck check) {
        return "SELECT count(*) FROM query(" + Sql.literal(check.sql()) + ")";
    }
}
