package io.jenkins.plugins.mlops.deploy.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log keeps the first feedback for a request id, in one batch and after a restart, on SQLite and PostgreSQL. */
class FeedbackOncePerRequestTest {
    @TempDir
    Path dir;

    @Test
    void sqliteKeepsTheFirstFeedbackPerRequest() throws Exception {
        check("jdbc:sqlite:" + dir.resolve("log.db"));
    }

    @Test
    void postgresKeepsTheFirstFeedbackPerRequest() throws Exception {
        try (Postgres postgres = Postgres.start()) {
            check(postgres.jdbcUrl());
        }
    }

    private static void check(String url) throws Exception {
        try (PredictionLog log = PredictionLog.open(url)) {
            log.append(new FeedbackRow("r-1", 1.0, null, 1));
            log.append(new FeedbackRow("r-1", 0.0, null, 2));
            log.append(new FeedbackRow("r-2", null, "churned", 3));
            assertThat(log.awaitWritten(Duration.ofSeconds(30))).isTrue();
        }
        // A restarted router no longer remembers r-1; the database does.
        try (PredictionLog log = PredictionLog.open(url)) {
            log.append(new FeedbackRow("r-1", 0.0, null, 4));
            log.append(new FeedbackRow("r-3", 1.0, null, 5));
            assertThat(log.awaitWritten(Duration.ofSeconds(30))).isTrue();
        }
        try (Connection db = DriverManager.getConnection(url); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT request_id, outcome, label FROM mlops_feedback ORDER BY request_id")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("r-1");
            assertThat(rows.getDouble(2)).isEqualTo(1.0);
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("r-2");
            assertThat(rows.getString(3)).isEqualTo("churned");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("r-3");
            assertThat(rows.next()).isFalse();
        }
    }
}
