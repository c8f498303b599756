package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import com.sun.net.httpserver.HttpServer;
import hudson.FilePath;
import hudson.model.Result;
import io.jenkins.plugins.mlops.jenkins.actions.PackageAction;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * packageModel as a thin adapter: the image-free path end to end, and the image registry's
 * credentials from a Jenkins credentials id, masked even where a registry echoes them. The image
 * build itself is core's PackageStepTest.
 */
@WithJenkins
class PackageModelStepTest {
    private static final String PASSWORD = "registry-password-never-shown";
    private JenkinsRule r;
    private WorkflowJob job;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "package");
        FilePath model = r.jenkins.getWorkspaceFor(job).child("out/model");
        model.child("MLmodel").write("flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n", "UTF-8");
        model.child("requirements.txt").write("mlflow==3.17.2\n", "UTF-8");
    }

    private WorkflowRun run(String script, Result expected) throws Exception {
        job.setDefinition(new CpsFlowDefinition("node { " + script + " }", true));
        return r.assertBuildStatus(expected, job.scheduleBuild2(0));
    }

    @Test
    void aDirectoryTakesKServesImageFreePathWithoutAnyRegistry() throws Exception {
        WorkflowRun build = run("def p = packageModel model: 'out/model', inferenceService: 'isvc.yaml'\n"
                + "echo \"storage=${p.storage_uri}\"\n echo readFile('isvc.yaml')", Result.SUCCESS);
        r.assertLogContains("storage=file:", build);
        r.assertLogContains("name: mlflow", build);
        assertThat(build.getAction(PackageAction.class).getResult().image(), is((String) null));
    }

    @Test
    void aRegistryThatRefusesTheCredentialsFailsTheStepAndNeverShowsThePassword() throws Exception {
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A careless registry that echoes what it was sent.
        registry.createContext("/", exchange -> {
            byte[] body = ("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"detail\":\"" + exchange.getRequestHeaders().getFirst("Authorization")
                    + " " + PASSWORD + "\"}]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        try {
            CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(),
                    new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "registry-push", "push", "builder", PASSWORD));
            String host = "127.0.0.1:" + registry.getAddress().getPort();
            WorkflowRun build = run("packageModel model: 'out/model', image: '" + host + "/churn:1', base: '" + host
                    + "/base:1', credentialsId: 'registry-push'", Result.FAILURE);
            r.assertLogContains("image registry " + host + " refused the credentials of user builder (HTTP 401", build);
            assertThat(JenkinsRule.getLog(build), not(containsString(PASSWORD)));
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void anUnknownCredentialsIdOrBadInputFailsBeforeAnythingRuns() throws Exception {
        WorkflowRun unknown = run("packageModel model: 'out/model', image: '127.0.0.1:9/churn:1', base: '127.0.0.1:9/base:1',"
                + " credentialsId: 'no-such-id'", Result.FAILURE);
        r.assertLogContains("packageModel: image registry credentials 'no-such-id' not found", unknown);
        WorkflowRun badName = run("packageModel model: 'out/model', image: 'churn:1', base: '127.0.0.1:9/base:1'", Result.FAILURE);
        r.assertLogContains("packageModel: image: 'churn:1' is not an image name: name the registry host first", badName);
    }
}
