package io.jenkins.plugins.mlops.jenkins.steps;

import static io.jenkins.plugins.mlops.jenkins.Fixtures.modelServer;
import static io.jenkins.plugins.mlops.jenkins.Fixtures.url;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.sun.net.httpserver.HttpServer;
import hudson.FilePath;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import hudson.util.Secret;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import io.jenkins.plugins.mlops.jenkins.actions.CanaryAction;
import io.jenkins.plugins.mlops.jenkins.actions.ShadowAction;
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
 * shadowDeploy and canaryRollout in a Pipeline, through the real embedded router, in front of two
 * model servers that answer as MLflow's scoring server does (one prediction per record): a router
 * of the step's own, or one that runs on its own (its admin token from a Secret text credential),
 * which keeps serving after the build at the rollout's weights with its mirror off, the token never in the log.
 */
@WithJenkins
class DeployStepsTest {
    private static final String ROUTER_TOKEN = "plugin-router-admin-token";
    /**
     * Both arms are the same test server, so a latency verdict would only judge the scheduler of a busy
     * CI machine (a 0.27 ms shift on a 0.95 ms median once failed a healthy canary); the judge's latency
     * test has its own tests in core.
     */
    private static final String SPEED_NOT_JUDGED = "maxLatencyRatio: 100";
    private JenkinsRule r;
    private WorkflowJob job;
    private HttpServer champion;
    private HttpServer candidate;
    private Router running;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "deploy");
        FilePath workspace = r.jenkins.getWorkspaceFor(job);
        Fixtures.requests(workspace);
        champion = modelServer("0.25");
        candidate = modelServer("0.25");
    }

    @AfterEach
    void stopServers() {
        if (running != null) {
            running.close();
        }
        champion.stop(0);
        candidate.stop(0);
    }

    private WorkflowRun run(String script, Result expected) throws Exception {
        job.setDefinition(new CpsFlowDefinition(script, true));
        return r.assertBuildStatus(expected, job.scheduleBuild2(0));
    }

    @Test
    void shadowDeployAgreesWhenBothModelsAnswerAlike() throws Exception {
        WorkflowRun build = run("node { def s = shadowDeploy primary: '" + url(champion) + "', shadow: '" + url(candidate)
                + "', listen: '127.0.0.1:0', replay: 'requests.jsonl', log: 'none', " + SPEED_NOT_JUDGED + "\n"
                + "echo \"compared=${s.compared} agreement=${s.agreement}\" }", Result.SUCCESS);
        r.assertLogContains("compared=200 agreement=1.0", build);
        assertThat(build.getAction(ShadowAction.class).getResult().shadowErrors(), is(0L));
    }

    /**
     * No log and no listen: the default SQLite file in the workspace, on a free port (not Jenkins' 8080).
     * On the controller, see EngineOnARealControllerTest: here the plugin's classes are on the
     * application class path, where DriverManager finds every driver anyway.
     */
    private String shadowWithDefaults() {
        return "def s = shadowDeploy primary: '" + url(champion) + "', shadow: '" + url(candidate) + "', replay: 'requests.jsonl', "
                + SPEED_NOT_JUDGED + "\n"
                + "echo \"logged=${s.log.written} lost=${s.log.rejected + s.log.unwritten} error=${s.log.last_error}\"";
    }

    @Test
    void shadowDeployWritesTheDefaultSqliteLogOnAnAgent() throws Exception {
        DumbSlave agent = r.createOnlineSlave(Label.get("remote"));
        WorkflowRun build = run("node { stash includes: 'requests.jsonl', name: 'requests' }\n"
                + "node('remote') { unstash 'requests'\n" + shadowWithDefaults() + " }", Result.SUCCESS);
        r.assertLogContains("logged=400 lost=0 error=null", build); // the primary's and the shadow's answer to each request
        r.assertLogNotContains("127.0.0.1:8080", build);
        assertThat(agent.getWorkspaceFor(job).child("mlops-predictions.db").length() > 0, is(true));
    }

    @Test
    void shadowDeployFailsWhenTheShadowDisagrees() throws Exception {
        candidate.stop(0);
        candidate = modelServer("0.75");
        WorkflowRun build = run("node { shadowDeploy primary: '" + url(champion) + "', shadow: '" + url(candidate)
                + "', listen: '127.0.0.1:0', replay: 'requests.jsonl', log: 'none' }", Result.FAILURE);
        r.assertLogContains("shadowDeploy FAIL", build);
    }

    @Test
    void canaryRolloutPromotesAHealthyCandidate() throws Exception {
        WorkflowRun build = run("node { def c = canaryRollout stable: '" + url(champion) + "', candidate: '" + url(candidate)
                + "', listen: '127.0.0.1:0', replay: 'requests.jsonl', replayRate: 50, steps: '50,100', stepDuration: '4s',"
                + " interval: '2s', minRequests: 20, log: 'none', " + SPEED_NOT_JUDGED + "\n"
                + "echo \"outcome=${c.outcome} weight=${c.final_weight}\" }", Result.SUCCESS);
        r.assertLogContains("outcome=promoted weight=100", build);
        assertThat(build.getAction(CanaryAction.class).getResult().finalWeight(), is(100));
    }

    @Test
    void canaryRolloutNeedsTheArmsItRoutesBetween() throws Exception {
        WorkflowRun build = run("node { canaryRollout candidate: '" + url(candidate) + "', log: 'none' }", Result.FAILURE);
        r.assertLogContains("canaryRollout: missing --stable", build);
    }

    @Test
    void canaryRolloutRefusesAMetricWithASecondStatementBeforeTheRouterStarts() throws Exception {
        WorkflowRun build = run("node { canaryRollout stable: '" + url(champion) + "', candidate: '" + url(candidate)
                + "', listen: '127.0.0.1:0', log: 'jdbc:sqlite:log.db',"
                + " metric: 'm=SELECT 1) AS x; DELETE FROM mlops_feedback; SELECT * FROM (SELECT 1' }", Result.FAILURE);
        r.assertLogContains("--metric m: SQLite reads only the first statement", build);
        r.assertLogNotContains("Router listening", build);
    }

    /**
     * A router that runs on its own (here in the test's JVM, not the build's), its admin token in a
     * Secret text credential; a second credential holds a token it refuses.
     */
    private Router runningRouter() {
        running = Router.start(RouterConfig.builder().listen("127.0.0.1", 0).eventLoops(1).adminToken(ROUTER_TOKEN)
                .variant("stable", URI.create(url(champion))).variant("candidate", URI.create(url(candidate))).build());
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "router-token", "the router's admin token", Secret.fromString(ROUTER_TOKEN)));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "stale-token", "another token", Secret.fromString("not-the-router-token")));
        return running;
    }

    @Test
    void shadowAndCanaryDriveARunningRouterAndLeaveItServing() throws Exception {
        Router router = runningRouter();
        String at = "router: '" + router.uri() + "', routerCredentialsId: 'router-token', replay: 'requests.jsonl'";
        WorkflowRun build = run("node {\n"
                + "def s = shadowDeploy shadow: '" + url(candidate) + "', " + at + ", requests: 50, " + SPEED_NOT_JUDGED + "\n"
                + "echo \"compared=${s.compared}\"\n"
                + "def c = canaryRollout " + at + ", replayRate: 50, steps: '50,100', stepDuration: '4s', interval: '2s',"
                + " minRequests: 20, log: 'none', " + SPEED_NOT_JUDGED + "\n"
                + "echo \"outcome=${c.outcome} weight=${c.final_weight}\" }", Result.SUCCESS);

        r.assertLogContains("compared=50", build);
        r.assertLogContains("outcome=promoted weight=100", build);
        r.assertLogNotContains(ROUTER_TOKEN, build);
        assertThat(router.weights(), is(Map.of("stable", 0, "candidate", 100)));
        assertThat(router.mirrorTarget(), nullValue());
    }

    @Test
    void aTokenTheRunningRouterRefusesOrACredentialThatIsNotThereFailsTheStep() throws Exception {
        Router router = runningRouter();
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
