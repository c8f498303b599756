package io.jenkins.plugins.mlops.ingest;

import java.util.Map;
import java.util.Properties;

/** The warehouse's user and password from the environment, where the command line and mlops.yaml's stage take them. */
public final class WarehouseCredentials {
    public static final String USER = "MLOPS_WAREHOUSE_USER";
    public static final String PASSWORD = "MLOPS_WAREHOUSE_PASSWORD";

    private WarehouseCredentials() {}

    /** JDBC's {@code user} and {@code password} properties, each where the environment sets it. */
    public static Properties fromEnvironment(Map<String, String> environment) {
        Properties credentials = new Properties();
        if (environment.get(USER) != null) {
            credentials.setProperty("user", environment.get(USER));
        }
        if (environment.get(PASSWORD) != null) {
            credentials.setProperty("password", environment.get(PASSWORD));
        }
        return credentials;
    }

    /**
     * What every connection to the warehouse is opened with: {@code credentials}, a 10 s connect
     * timeout (an unreachable warehouse is an answer, not a hang) and {@code application} as the
     * name pg_stat_activity shows.
     */
    public static Properties connectionProperties(Properties credentials, String application) {
        Properties properties = new Properties();
        properties.putAll(credentials);
        properties.putIfAbsent("connectTimeout", "10");
        properties.putIfAbsent("ApplicationName", application);
        return properties;
    }
}
