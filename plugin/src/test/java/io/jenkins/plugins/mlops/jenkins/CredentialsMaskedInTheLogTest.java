package io.jenkins.plugins.mlops.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import com.sun.net.httpserver.HttpServer;
import hudson.model.Result;
import hudson.util.Secret;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The MLflow credentials of the global configuration never reach the build log in clear, even
 * when the server quotes them back: an MLflow stand-in that refuses every call and echoes the
 * token, or the Basic user's password, in its error message (as a misconfigured proxy does).
 */
@WithJenkins
class CredentialsMaskedInTheLogTest {
    private static final String TOKEN = "mlflow-tok-9d2f61c4";
    private static final String PASSWORD = "pw-5b8e0a73";
    private JenkinsRule r;
    private HttpServer echoingServer;
    private WorkflowJob job;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        echoingServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echoingServer.createContext("/", exchange -> {
            String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            String quoted = authorization.startsWith("Basic ")
                    ? new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8)
                    : authorization;
            byte[] body = ("{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"refused credentials " + quoted + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(400, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        echoingServer.start();
        MlopsConfiguration.get().setTrackingUrl("http://127.0.0.1:" + echoingServer.getAddress().getPort());
        job = r.createProject(WorkflowJob.class, "register");
        job.setDefinition(new CpsFlowDefinition("node { writeFile file: 'out/model/model.pkl', text: 'weights'\n"
                + "writeFile file: 'out/model/MLmodel', text: 'flavors:\\n  python_function:\\n    loader_module: mlflow.sklearn\\n'\n"
                + "registerModel name: 'churn', model: 'out/model', timeout: '10s' }", true));
    }

    @AfterEach
    void stopServer() {
        echoingServer.stop(0);
    }

    @Test
    void aSecretTextTokenIsMasked() throws Exception {
        addCredentials(new StringCredentialsImpl(CredentialsScope.GLOBAL, "mlflow-token", "MLflow", Secret.fromString(TOKEN)));
        WorkflowRun build = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        r.assertLogContains("refused credentials Bearer ****", build);
        r.assertLogNotContains(TOKEN, build);
    }

    @Test
    void aUsernamePasswordIsMasked() throws Exception {
        addCredentials(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "mlflow-token", "MLflow", "svc-mlops",
                PASSWORD));
        WorkflowRun build = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        // The user:password pair is itself a secret (it is what Basic auth sends), so all of it is masked.
        r.assertLogContains("refused credentials ****", build);
        assertThat(JenkinsRule.getLog(build), not(containsString(PASSWORD)));
    }

    private void addCredentials(com.cloudbees.plugins.credentials.Credentials credentials) throws Exception {
        CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(), credentials);
        MlopsConfiguration.get().setCredentialsId("mlflow-token");
    }
}
