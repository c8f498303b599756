package io.jenkins.plugins.mlops.jenkins.steps;

import static io.jenkins.plugins.mlops.jenkins.Fixtures.modelServer;
import static io.jenkins.plugins.mlops.jenkins.Fixtures.url;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.sun.net.httpserver.HttpServer;
import hudson.FilePath;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import io.jenkins.plugins.mlops.jenkins.actions.CanaryAction;
import io.jenkins.plugins.mlops.jenkins.actions.ShadowAction;
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
 * model servers that answer as MLflow's scoring server does (one prediction per record).
 */
@WithJenkins
class DeployStepsTest {
    private JenkinsRule r;
    private WorkflowJob job;
    private HttpServer champion;
    private HttpServer candidate;

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
                + "', listen: '127.0.0.1:0', replay: 'requests.jsonl', log: 'none'\n"
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
        return "def s = shadowDeploy primary: '" + url(champion) + "', shadow: '" + url(candidate) + "', replay: 'requests.jsonl'\n"
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
                + " interval: '2s', minRequests: 20, log: 'none'\n"
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
}
