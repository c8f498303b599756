package io.jenkins.plugins.mlops.jenkins.steps;

import com.sun.net.httpserver.HttpServer;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.RealJenkinsExtension;

/**
 * The default SQLite prediction log in a Jenkins of its own JVM, where the plugin's classes come
 * from its plugin class loader as in production (JenkinsRule puts them on the application class
 * path, where DriverManager sees every driver).
 */
class PredictionLogOnARealControllerTest {
    @RegisterExtension
    private final RealJenkinsExtension jenkins = new RealJenkinsExtension();

    @Test
    void shadowDeployWritesTheDefaultSqliteLogThroughThePluginsOwnDriver() throws Throwable {
        jenkins.then(PredictionLogOnARealControllerTest::shadowWithTheDefaultLog);
    }

    private static void shadowWithTheDefaultLog(JenkinsRule r) throws Throwable {
        HttpServer primary = DeployStepsTest.modelServer("0.25");
        HttpServer shadow = DeployStepsTest.modelServer("0.25");
        try {
            WorkflowJob job = r.createProject(WorkflowJob.class, "shadow");
            r.jenkins.getWorkspaceFor(job).child("requests.jsonl")
                    .write("{\"dataframe_records\": [{\"tenure_months\": 3}]}\n".repeat(20), "UTF-8");
            job.setDefinition(new CpsFlowDefinition("node { def s = shadowDeploy primary: '" + DeployStepsTest.url(primary)
                    + "', shadow: '" + DeployStepsTest.url(shadow) + "', replay: 'requests.jsonl'\n"
                    + "echo \"logged=${s.log.written} error=${s.log.last_error}\" }", true));
            WorkflowRun build = r.buildAndAssertSuccess(job);
            r.assertLogContains("logged=40 error=null", build); // the primary's and the shadow's answer to each request
        } finally {
            primary.stop(0);
            shadow.stop(0);
        }
    }
}
