package io.jenkins.plugins.mlops.deploy.router;

import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.URL;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a step reaches a router that runs on its own: the two parameters the router steps share
 * (its URL, and a file with its admin token) and where the token comes from. The token is never a
 * value on a command line or in {@code mlops.yaml}, where shells, process lists and repositories
 * would keep it: it comes from {@value #TOKEN_ENV}, a file, or (in Jenkins) a Secret text credential.
 */
public final class RouterAccess {
    public static final String TOKEN_ENV = "MLOPS_ROUTER_TOKEN";
    private static final long MAX_TOKEN_BYTES = 4096;

    public static final Parameter ROUTER = Parameter.of("router", URL, null, "A router that runs on its own (mlops router"
            + " with an admin token, e.g. a Kubernetes Service): the step drives it through its admin API and leaves it"
            + " serving, instead of starting a router of its own. Its token from " + TOKEN_ENV + " or routerTokenFile"
            + " (in Jenkins: routerCredentialsId, a Secret text credential).");
    public static final Parameter TOKEN_FILE = Parameter.of("routerTokenFile", PATH, null, "A file holding the router's admin"
            + " token, instead of " + TOKEN_ENV + ".").only(FrontEnd.CLI, FrontEnd.YAML);

    public static final Parameter UPSTREAM_CA = Parameter.of("upstreamCa", PATH, null, "A PEM file of CA certificates"
            + " trusted for https model servers besides the JVM's trust store (a private CA of a KServe or Istio gateway),"
            + " for the router the step starts; a running router has its own (mlops router --upstream-ca).");

    private RouterAccess() {}

    /**
     * The admin token: the file's content (relative to {@code directory}) when a file is given,
     * else {@value #TOKEN_ENV}; null when neither is there (the router client then says what to give).
     */
    public static String token(String file, Path directory, Map<String, String> env) {
        if (file == null) {
            String token = env.get(TOKEN_ENV);
            return token == null || token.isBlank() ? null : token.strip();
        }
        Path path = directory.resolve(file);
        try {
            if (Files.size(path) > MAX_TOKEN_BYTES) {
                throw new BadInputException(TOKEN_FILE.option() + ": " + path + " is larger than a token (" + MAX_TOKEN_BYTES
                        + " bytes)");
            }
            String token = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new BadInputException(TOKEN_FILE.option() + ": " + path + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new BadInputException(TOKEN_FILE.option() + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
