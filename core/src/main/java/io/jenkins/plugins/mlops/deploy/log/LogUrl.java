package io.jenkins.plugins.mlops.deploy.log;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.nio.file.Path;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Checks a prediction log's JDBC URL before anything connects. PgJDBC reads a PostgreSQL URL
 * without a host ({@code jdbc:postgresql://}, {@code jdbc:postgresql:db}) as localhost, which turns
 * a typo into a connection failure (exit 3) against a server nobody named: here it is bad input.
 */
public final class LogUrl {
    private static final String POSTGRESQL = "jdbc:postgresql:";
    private static final String USE = "; use jdbc:sqlite:FILE or jdbc:postgresql://HOST[:PORT]/DB";

    private static final String SQLITE = "jdbc:sqlite:";

    private LogUrl() {}

    /**
     * The log a step was given ({@code --log}), checked, with a relative SQLite file in
     * {@code directory} (the workspace, the project); null for {@code none}.
     */
    public static String resolve(String log, Path directory) {
        if (log == null || "none".equalsIgnoreCase(log)) {
            return null;
        }
        String url = log;
        if (url.startsWith(SQLITE) && !url.startsWith(SQLITE + ":") && !Path.of(url.substring(SQLITE.length())).isAbsolute()) {
            url = SQLITE + directory.resolve(url.substring(SQLITE.length()));
        }
        check(url, "--log");
        return url;
    }

    /** @param field the option or field that gave the URL, named in the message */
    public static void check(String jdbcUrl, String field) {
        if (jdbcUrl == null || !(jdbcUrl.startsWith("jdbc:sqlite:") || jdbcUrl.startsWith(POSTGRESQL))) {
            throw new BadInputException(field + ": '" + PredictionLog.redacted(jdbcUrl) + "' is not a supported JDBC URL" + USE);
        }
        if (jdbcUrl.startsWith(POSTGRESQL)) {
            String rest = jdbcUrl.substring(POSTGRESQL.length());
            String authority = rest.startsWith("//") ? rest.substring(2).split("[/?]", 2)[0] : "";
            String host = authority.startsWith("[") ? authority : authority.split("[:,]", 2)[0];
            Properties parsed = Driver.parseURL(jdbcUrl, null);
            String problem = host.isEmpty() ? "names no host" : parsed == null ? "is not a PostgreSQL URL PgJDBC can read"
                    : parsed.getProperty("PGDBNAME") == null ? "names no database" : null;
            if (problem != null) {
                throw new BadInputException(field + ": '" + PredictionLog.redacted(jdbcUrl) + "' " + problem + USE);
            }
        }
    }
}
