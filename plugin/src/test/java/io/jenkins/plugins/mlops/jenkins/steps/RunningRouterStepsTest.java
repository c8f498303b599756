package io.jenkins.plugins.mlops.jenkins.steps;

import static io.jenkins.plugins.mlops.jenkins.Fixtures.modelServer;
import static io.jenkins.plugins.mlops.jenkins.Fixtures.url;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.sun.net.httpserver.HttpServer;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import java.net.URI;
import java.util.Map;
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
 * shadowDeploy and canaryRollout driving a router that runs on its own (here: in the test's JVM,
 * not the build's), its admin token from a Secret text credential: the router keeps serving, at
 * the rollout's weights and with its mirror off, after the build; the token never reaches the log.
 */
@WithJenkins
class RunningRouterStepsTest {
    private static final String TOKEN = "plugin-router-admin-token";

    private JenkinsRule r;
    private WorkflowJob job;
    private HttpServer champion;
    private HttpServer candidate;
    private Router router;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "deploy");
        Fixtures.requests(r.jenkins.getWorkspaceFor(job));
        champion = modelServer("0.25");
        candidate = modelServer("0.25");
        router = Router.start(RouterConfig.builder().listen("127.0.0.1", 0).eventLoops(1).adminToken(TOKEN)
                .variant("stable", URI.create(url(champion))).variant("candidate", URI.create(url(candidate))).build());
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "router-token", "the router's admin token", Secret.fromString(TOKEN)));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "stale-token", "another token", Secret.fromString("not-the-router-token")));
    }

    @AfterEach
    void stop() {
        router.close();
        champion.stop(0);
        candidate.stop(0);
    }

    private WorkflowRun run(String script, Result expected) throws Exception {
        job.setDefinition(new CpsFlowDefinition(script, true));
        return r.assertBuildStatus(expected, job.scheduleBuild2(0));
    }

    @Test
    void shadowAndCanaryDriveTheRunningRouterAndLeaveItServing() throws Exception {
        String at = "router: '" + router.uri() + "', routerCredentialsId: 'router-token', replay: 'requests.jsonl'";
        WorkflowRun build = run("node {\n"
                + "def s = shadowDeploy shadow: '" + url(candidate) + "', " + at + ", requests: 50\n"
                + "echo \"compared=${s.compared}\"\n"
                + "def c = canaryRollout " + at + ", replayRate: 50, steps: '50,100', stepDuration: '4s', interval: '2s',"
                + " minRequests: 20, log: 'none'\n"
                + "echo \"outcome=${c.outcome} weight=${c.final_weight}\" }", Result.SUCCESS);

        r.assertLogContains("compared=50", build);
        r.assertLogContains("outcome=promoted weight=100", build);
        r.assertLogNotContains(TOKEN, build);
        assertThat(router.weights(), is(Map.of("stable", 0, "candidate", 100)));
        assertThat(router.mirrorTarget(), nullValue());
    }

    @Test
    void aTokenTheRouterRefusesOrACredentialThatIsNotThereFailsTheStep() throws Exception {
        WorkflowRun stale = run("node { shadowDeploy shadow: '" + url(candidate) + "', router: '" + router.uri()
                + "', routerCredentialsId: 'stale-token', requests: 5 }", Result.FAILURE);
        r.assertLogContains("401, the router refused the admin token", stale);
        r.assertLogNotContains("not-the-router-token", stale);

        WorkflowRun missing = run("node { canaryRollout router: '" + router.uri() + "', routerCredentialsId: 'nosuch' }",
                Result.FAILURE);
        r.assertLogContains("routerCredentialsId 'nosuch' names no Secret text credential", missing);
        assertThat(router.mirrorTarget(), nullValue());
        assertThat(router.weights(), is(Map.of("stable", 100, "candidate", 0)));
    }
}
