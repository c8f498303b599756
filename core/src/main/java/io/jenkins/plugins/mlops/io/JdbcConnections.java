package io.jenkins.plugins.mlops.io;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Opens JDBC connections with the drivers core ships (SQLite, PostgreSQL), taken from core's own
 * class loader. {@link DriverManager} only hands out drivers that the caller's class loader can
 * see, which in a plugin (a step thread on a Jenkins controller, or an agent where another plugin
 * registered drivers first) is not the loader that holds them: "No suitable driver".
 */
public final class JdbcConnections {
    private static final List<Driver> SHIPPED = ServiceLoader.load(Driver.class, JdbcConnections.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private JdbcConnections() {}

    /** A connection from the shipped driver that takes {@code url}; any other URL goes to {@link DriverManager}. */
    public static Connection open(String url, Properties properties) throws SQLException {
        for (Driver driver : SHIPPED) {
            if (driver.acceptsURL(url)) {
                return driver.connect(url, properties);
            }
        }
        return DriverManager.getConnection(url, properties);
    }
}
