package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.DuckDbErrors;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs the schema's SQL checks over the view {@code data}. Each query returns the violating rows;
 * DuckDB counts them ({@code SELECT count(*) FROM (query)}), so they never reach Java either.
 */
final class CustomChecks {
    static final String VIEW = "data";

    private final ScanEngine engine;
    private final List<SqlCheck> checks;

    CustomChecks(ScanEngine engine, List<SqlCheck> checks) {
        this.engine = engine;
        this.checks = checks;
    }

    /** Creates the view and binds every query, so that a typo is bad input before the long scans start. */
    void prepare(DataSource source, String schemaFile) {
        if (checks.isEmpty()) {
            return;
        }
        engine.execute("CREATE OR REPLACE VIEW " + VIEW + " AS SELECT * FROM " + source.relation(), source);
        for (SqlCheck check : checks) {
            try {
                engine.prepare(countQuery(check));
            } catch (SQLException e) {
                throw new BadInputException(schemaFile + ": checks." + check.name() + ": the SQL does not run: "
                        + DuckDbErrors.firstLine(e.getMessage()), e);
            }
        }
    }

    List<Check> run(Consumer<String> progress) {
        List<Check> out = new ArrayList<>();
        for (SqlCheck check : checks) {
            progress.accept("custom check " + check.name());
            String name = "sql:" + check.name();
            String expected = "<= " + check.allowedRows() + " violating rows";
            try {
                long rows = engine.queryUserSql(countQuery(check), r -> r.next() ? r.getLong(1) : 0);
                boolean ok = rows <= check.allowedRows();
                out.add(Check.of(name, null, ok ? Status.PASS : check.failureStatus(),
                        String.format(Locale.ROOT, "%,d violating rows", rows), expected,
                        ok ? "The query returned no more rows than allowed." : "The query returned rows that violate the check: " + check.sql()));
            } catch (SQLException e) {
                // Fail closed: a check that cannot run has not passed.
                out.add(Check.of(name, null, Status.ERROR, "query failed", expected, DuckDbErrors.firstLine(e.getMessage())));
            }
        }
        return out;
    }

    private static String countQuery(SqlCheck check) {
        String sql = check.sql().strip();
        while (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
        }
        return "SELECT count(*) FROM (" + sql + "\n) AS violations";
    }

}
