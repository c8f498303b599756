package io.jenkins.plugins.mlops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of mlops, as the build stamped it; reports and registry lineage record it. */
public final class MlopsVersion {
    private static final String VERSION = load();

    private MlopsVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = MlopsVersion.class.getResourceAsStream("mlops-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
