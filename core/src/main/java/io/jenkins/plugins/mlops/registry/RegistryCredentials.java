package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.io.Redaction;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How mlops authenticates to an MLflow server, read from the same environment variables that
 * MLflow's own clients read. {@link #toString()} never shows a secret, so a stray log line or
 * exception message cannot leak one.
 */
public final class RegistryCredentials implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final RegistryCredentials NONE = new RegistryCredentials(null, null, null, false);

    private final String token;
    private final String username;
    private final String password;
    private final boolean insecureTls;

    public RegistryCredentials(String token, String username, String password, boolean insecureTls) {
        this.token = blankToNull(token);
        this.username = blankToNull(username);
        this.password = password;
        this.insecureTls = insecureTls;
        rememberSecrets();
    }

    /** Whatever echoes the secrets later (an error body, a proxy's page) is masked, in their Base64 forms too. */
    private void rememberSecrets() {
        Redaction.remember(token);
        Redaction.rememberBasicAuth(username, password);
    }

    /**
     * Deserialization skips the constructor: credentials sent to another JVM (a Jenkins agent) must
     * teach that JVM's redaction their secrets too.
     */
    private Object readResolve() {
        rememberSecrets();
        return this;
    }

    /**
     * {@code MLFLOW_TRACKING_TOKEN} (Bearer), {@code MLFLOW_TRACKING_USERNAME} and
     * {@code MLFLOW_TRACKING_PASSWORD} (Basic), {@code MLFLOW_TRACKING_INSECURE_TLS=true}.
     */
    public static RegistryCredentials fromEnvironment(Map<String, String> environment) {
        return new RegistryCredentials(environment.get("MLFLOW_TRACKING_TOKEN"),
                environment.get("MLFLOW_TRACKING_USERNAME"), environment.get("MLFLOW_TRACKING_PASSWORD"),
                "true".equals(String.valueOf(environment.get("MLFLOW_TRACKING_INSECURE_TLS")).toLowerCase(Locale.ROOT)));
    }

    /** The Authorization header value; Basic wins over a token, as in MLflow's Python client. */
    Optional<String> authorizationHeader() {
        if (username != null) {
            String pair = username + ":" + (password == null ? "" : password);
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return token == null ? Optional.empty() : Optional.of("Bearer " + token);
    }

    /** The same credentials as MLflow's Python client reads them, for a child process (e.g. one that downloads a model). */
    public Map<String, String> environment() {
        Map<String, String> environment = new java.util.TreeMap<>();
        if (username != null) {
            environment.put("MLFLOW_TRACKING_USERNAME", username);
            environment.put("MLFLOW_TRACKING_PASSWORD", password == null ? "" : password);
        } else if (token != null) {
            environment.put("MLFLOW_TRACKING_TOKEN", token);
        }
        if (insecureTls) {
            environment.put("MLFLOW_TRACKING_INSECURE_TLS", "true");
        }
        return environment;
    }

    boolean insecureTls() {
        return insecureTls;
    }

    /** The identity a person may see in a message: the user name, or which kind of secret is set. */
    String describe() {
        if (username != null) {
            return "user '" + username + "' (MLFLOW_TRACKING_USERNAME/PASSWORD)";
        }
        return token != null ? "a token (MLFLOW_TRACKING_TOKEN)" : "no credentials";
    }

    @Override
    public String toString() {
        return "RegistryCredentials[" + describe() + (insecureTls ? ", insecure TLS" : "") + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
