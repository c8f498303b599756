package io.jenkins.plugins.mlops.deploy.log;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A log URL PgJDBC would read as localhost, or cannot read, is bad input naming the option, never a failed connection. */
class LogUrlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://|names no host",
        "jdbc:postgresql:///mlops|names no host",
        "jdbc:postgresql://:5432/mlops|names no host",
        "jdbc:postgresql://?user=x|names no host",
        "jdbc:postgresql:mlops|names no host",
        "jdbc:postgresql://db.example|is not a PostgreSQL URL PgJDBC can read",
        "jdbc:postgresql://db.example:notaport/mlops|is not a PostgreSQL URL PgJDBC can read",
        "jdbc:postgresql://db.example/|names no database",
        "jdbc:mysql://db.example/mlops|is not a supported JDBC URL",
        "jdbc:postgresql://db.example/mlops?password=s3cret&port=x|is not a PostgreSQL URL PgJDBC can read"})
    void isRefusedNamingTheOption(String url, String problem) {
        assertThatThrownBy(() -> LogUrl.check(url, "--log")).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("--log: '").hasMessageContaining(problem).hasMessageNotContaining("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:sqlite:mlops-predictions.db", "jdbc:postgresql://db.example/mlops",
        "jdbc:postgresql://127.0.0.1:5432/postgres?user=mlops", "jdbc:postgresql://[::1]:5432/mlops",
        "jdbc:postgresql://a.example:5432,b.example:5433/mlops?targetServerType=primary"})
    void aUrlNamingHostAndDatabaseIsAccepted(String url) {
        assertThatCode(() -> LogUrl.check(url, "--log")).doesNotThrowAnyException();
    }
}
