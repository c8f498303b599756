package io.jenkins.plugins.mlops.ingest;

import static io.jenkins.plugins.mlops.params.ParameterType.DURATION;
import static io.jenkins.plugins.mlops.params.ParameterType.PAIRS;
import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.TEXT;
import static io.jenkins.plugins.mlops.params.ParameterType.WHOLE;

import io.jenkins.plugins.mlops.data.EngineSettings;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterValues;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything {@code ingest} ({@code mlops ingest}) takes, read and checked: the one place for
 * their names, defaults and help ({@link #CATALOGUE}). The warehouse's user and password are not
 * among them: they come from the environment or Jenkins credentials, never from a value that is
 * echoed or written to a report.
 *
 * @param param the named parameters' values, bound as JDBC parameters (sorted by name)
 * @param fetchSize rows the driver holds at a time: with the memory limit, what bounds memory
 */
public record IngestParameters(String jdbcUrl, String query, String queryFile, Map<String, String> param, String output,
        String memoryLimit, long fetchSize, Duration timeout) implements Serializable {
    private static final long serialVersionUID = 1L;
    static final long MAX_FETCH_SIZE = 1_000_000;

    public static final ParameterCatalogue CATALOGUE = new ParameterCatalogue("ingest", java.util.List.of(
            Parameter.of("jdbcUrl", TEXT, null, "The warehouse, e.g. jdbc:postgresql://HOST:5432/DB (required). The user and "
                    + "password come from MLOPS_WAREHOUSE_USER and MLOPS_WAREHOUSE_PASSWORD (Jenkins: credentials).").labelled("URL"),
            Parameter.of("query", TEXT, null, "One SELECT; :name marks a parameter bound from --param (never spliced into the text).")
                    .labelled("SQL"),
            Parameter.of("queryFile", PATH, null, "A file holding the query (instead of --query)."),
            Parameter.of("param", PAIRS, null, "A value for :NAME in the query (several allowed), e.g. start=2026-11-01; "
                    + "the database converts it to the type the query compares it with.").labelled("NAME=VALUE"),
            Parameter.of("output", PATH, null, "The Parquet file to write (required); its directory must exist. "
                    + "OUTPUT.lineage.json records its fingerprint, rows, query and parameters."),
            Parameter.of("memoryLimit", TEXT, "256MB", "Memory DuckDB may use while it writes the Parquet; "
                    + "more spills to disk.").labelled("SIZE"),
            Parameter.of("fetchSize", WHOLE, "10000", "Rows fetched from the warehouse at a time (a server-side cursor)."),
            Parameter.of("timeout", DURATION, "30m", "How long the query may run on the server (statement_timeout).")));

    public static ParameterBuilder<IngestParameters> builder() {
        return new ParameterBuilder<>(CATALOGUE, IngestParameters::of);
    }

    public IngestParameters {
        param = new TreeMap<>(param == null ? Map.of() : param);
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new BadInputException("--jdbc-url is required: the warehouse, e.g. jdbc:postgresql://HOST:5432/DB");
        }
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            // The read-only sandbox (one statement, read-only transaction, role check) is PostgreSQL's.
            throw new BadInputException("--jdbc-url: only jdbc:postgresql: warehouses are supported, not " + scheme(jdbcUrl));
        }
        if ((query == null) == (queryFile == null)) {
            throw new BadInputException("give --query or --query-file, exactly one");
        }
        if (output == null) {
            throw new BadInputException("--output is required: the Parquet file to write, e.g. data/batch.parquet");
        }
        new EngineSettings(memoryLimit, 1);
        if (fetchSize < 1 || fetchSize > MAX_FETCH_SIZE) {
            throw new BadInputException("--fetch-size: must be 1 to " + MAX_FETCH_SIZE + ", not " + fetchSize);
        }
    }

    private static IngestParameters of(ParameterValues v) {
        return new IngestParameters(v.text("jdbcUrl"), v.text("query"), v.path("queryFile"), v.pairs("param"), v.path("output"),
                v.text("memoryLimit"), v.whole("fetchSize"), v.duration("timeout"));
    }

    private static String scheme(String url) {
        int colon = url.indexOf(':', url.indexOf(':') + 1);
        return colon < 0 ? "'" + url + "'" : url.substring(0, colon + 1);
    }
}
