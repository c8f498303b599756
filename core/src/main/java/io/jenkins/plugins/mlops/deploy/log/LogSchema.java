package io.jenkins.plugins.mlops.deploy.log;

import java.util.List;

/**
 * The prediction log's tables. Users query them with their own SQL ({@code --metric NAME=SQL}),
 * so names and columns are a public contract; the DDL is portable between SQLite and PostgreSQL.
 */
public final class LogSchema {
    public static final String PREDICTIONS = "mlops_predictions";
    public static final String FEEDBACK = "mlops_feedback";

    static final List<String> CREATE = List.of(
            "CREATE TABLE IF NOT EXISTS " + PREDICTIONS + " (request_id TEXT NOT NULL, variant TEXT NOT NULL,"
                    + " received_at BIGINT NOT NULL, status INTEGER NOT NULL, latency_ms DOUBLE PRECISION NOT NULL,"
                    + " request TEXT, response TEXT, prediction DOUBLE PRECISION, mirrored BOOLEAN NOT NULL)",
            "CREATE INDEX IF NOT EXISTS " + PREDICTIONS + "_request_id ON " + PREDICTIONS + " (request_id)",
            "CREATE INDEX IF NOT EXISTS " + PREDICTIONS + "_received_at ON " + PREDICTIONS + " (received_at)",
            "CREATE TABLE IF NOT EXISTS " + FEEDBACK + " (request_id TEXT NOT NULL, outcome DOUBLE PRECISION,"
                    + " label TEXT, received_at BIGINT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS " + FEEDBACK + "_request_id ON " + FEEDBACK + " (request_id)");

    static final String INSERT_PREDICTION = "INSERT INTO " + PREDICTIONS
            + " (request_id, variant, received_at, status, latency_ms, request, response, prediction, mirrored)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** One feedback per request id, also across router restarts: a later one for the same id is not written. */
    static final String INSERT_FEEDBACK = "INSERT INTO " + FEEDBACK
            + " (request_id, outcome, label, received_at) SELECT ?, ?, ?, ?"
            + " WHERE NOT EXISTS (SELECT 1 FROM " + FEEDBACK + " WHERE request_id = ?)";

    private LogSchema() {}
}
