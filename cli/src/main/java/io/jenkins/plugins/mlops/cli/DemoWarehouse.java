package io.jenkins.plugins.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.jenkins.plugins.mlops.ingest.WarehouseCredentials;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.JdbcConnections;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.pipeline.PipelineConfig;
import io.jenkins.plugins.mlops.pipeline.PipelineFile;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * The demo's warehouse, when {@code MLOPS_WAREHOUSE_URL} names one: the generated batch goes into
 * a PostgreSQL table under its batch id, and the pipeline gets an {@code ingest} stage that
 * selects that batch back into Parquet, so the registered version names the query and the bytes
 * it was trained on, as a team's pipeline reading its warehouse would.
 */
final class DemoWarehouse {
    static final String URL = "MLOPS_WAREHOUSE_URL";
    static final String TABLE = "churn_customers";
    /** What the generator writes, and what the example's stages read without a warehouse. */
    static final String BATCH_FILE = "data/train.csv";
    /** What the ingest stage writes, and the stages read instead. */
    static final String INGESTED = "data/train.parquet";
    /** The generator's columns, typed as schema.yaml types them. */
    private static final Map<String, String> COLUMNS = columns();

    private final String url;
    private final String shown;
    private final Properties credentials;

    private DemoWarehouse(String url, Properties credentials) {
        this.url = url;
        int query = url.indexOf('?');
        this.shown = query < 0 ? url : url.substring(0, query);
        this.credentials = credentials;
    }

    /** The warehouse {@code environment} names, or null: then the demo's data stays file-based. */
    static DemoWarehouse fromEnvironment(Map<String, String> environment) {
        String url = environment.get(URL);
        if (url == null || url.isBlank()) {
            return null;
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new BadInputException(URL + ": not a jdbc:postgresql: URL (the demo loads and ingests PostgreSQL only)");
        }
        Properties credentials = WarehouseCredentials.fromEnvironment(environment);
        if (credentials.getProperty("password") != null) {
            Redaction.remember(credentials.getProperty("password"));
        }
        return new DemoWarehouse(url.strip(), credentials);
    }

    String shown() {
        return shown;
    }

    /** Connects once, so a wrong URL or password stops the demo before it spends minutes on a venv. */
    void check() {
        try (Connection connection = open()) {
            connection.isValid(10);
        } catch (SQLException e) {
            throw failure("cannot connect to the warehouse " + shown, e, "");
        }
    }

    /**
     * Replaces batch {@code batch}'s rows of the table with {@code csv}'s in one transaction (a
     * rerun of the same batch loads it again, never twice), making the table if it is missing.
     *
     * @return the rows loaded
     */
    long load(Path csv, String batch) {
        checkHeader(csv);
        String columns = String.join(", ", COLUMNS.keySet());
        try (Connection connection = open(); Statement statement = connection.createStatement()) {
            statement.execute(createTable());
            connection.setAutoCommit(false);
            // COPY cannot fill the batch column, so the rows go through a temporary table first.
            statement.execute("CREATE TEMP TABLE mlops_demo_batch ON COMMIT DROP AS SELECT " + columns + " FROM " + TABLE
                    + " WITH NO DATA");
            try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY mlops_demo_batch (" + columns
                        + ") FROM STDIN (FORMAT csv, HEADER true)", reader);
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE batch = ?");
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE + " (batch, " + columns
                            + ") SELECT ?, " + columns + " FROM mlops_demo_batch")) {
                delete.setString(1, batch);
                delete.executeUpdate();
                insert.setString(1, batch);
                long rows = insert.executeLargeUpdate();
                connection.commit();
                return rows;
            }
        } catch (SQLException e) {
            throw failure("cannot load " + csv.getFileName() + " into " + TABLE + " at " + shown, e,
                    " (the demo's role needs CREATE on its schema, and not superuser: ingest refuses one; docs/ingest.md)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The example's pipeline with an ingest stage that selects {@code batch} by a bound parameter
     * into {@link #INGESTED}, and every stage that read {@link #BATCH_FILE} reading that instead.
     */
    PipelineConfig pipeline(Path file, String batch) {
        try {
            YAMLMapper yaml = new YAMLMapper();
            ObjectNode root = (ObjectNode) yaml.readTree(Files.readString(file));
            replace(root, BATCH_FILE, INGESTED);
            ObjectNode ingest = root.putObject("ingest");
            ingest.put("jdbc-url", url);
            ingest.put("query", "SELECT " + String.join(", ", COLUMNS.keySet()) + " FROM " + TABLE
                    + " WHERE batch = :batch ORDER BY customer_id");
            ingest.putObject("param").put("batch", batch);
            ingest.put("output", INGESTED);
            return PipelineFile.parse(yaml.writeValueAsString(root), file + " (with the demo's ingest stage)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void replace(JsonNode node, String from, String to) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (from.equals(field.getValue().textValue())) {
                    field.setValue(TextNode.valueOf(to));
                } else {
                    replace(field.getValue(), from, to);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (from.equals(array.get(i).textValue())) {
                    array.set(i, TextNode.valueOf(to));
                } else {
                    replace(array.get(i), from, to);
                }
            }
        }
    }

    private Connection open() throws SQLException {
        Connection connection = JdbcConnections.open(url, WarehouseCredentials.connectionProperties(credentials, "mlops-demo"));
        if (connection == null) {
            throw new BadInputException(URL + " " + shown + ": no driver takes this URL");
        }
        return connection;
    }

    /** The warehouse's message without the password; exit 3, as every warehouse failure of the demo. */
    private static InfrastructureException failure(String what, SQLException e, String hint) {
        return new InfrastructureException(what + ": " + Redaction.redact(e.getMessage()) + hint, e);
    }

    private static void checkHeader(Path csv) {
        try (var lines = Files.lines(csv, StandardCharsets.UTF_8)) {
            String header = lines.findFirst().orElse("");
            if (!header.strip().equals(String.join(",", COLUMNS.keySet()))) {
                throw new BadInputException(csv + ": the columns are not the generator's (" + header + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String createTable() {
        List<String> definitions = new ArrayList<>(List.of("batch text NOT NULL"));
        COLUMNS.forEach((name, type) -> definitions.add(name + " " + type));
        definitions.add("PRIMARY KEY (batch, customer_id)");
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " (" + String.join(", ", definitions) + ")";
    }

    private static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String name : List.of("customer_id", "signup_date", "age", "gender", "region", "contract", "payment_method",
                "paperless_billing", "internet_service", "tenure_months", "monthly_charges", "total_charges", "support_calls",
                "last_login_days", "satisfaction_score", "churned")) {
            columns.put(name, switch (name) {
                case "signup_date" -> "date";
                case "paperless_billing" -> "boolean";
                case "monthly_charges", "total_charges" -> "double precision";
                case "gender", "region", "contract", "payment_method", "internet_service" -> "text";
                default -> "integer";
            });
        }
        return Collections.unmodifiableMap(columns);
    }
}
