package io.jenkins.plugins.mlops.jenkins.steps;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.RealJenkinsExtension;

/**
 * The engine's native and JDBC libraries in a Jenkins of its own JVM, where the plugin's classes
 * come from its plugin class loader as in production (JenkinsRule puts them on the application
 * class path, where DriverManager sees every driver).
 */
class EngineOnARealControllerTest {
    @RegisterExtension
    private final RealJenkinsExtension jenkins = new RealJenkinsExtension();

    @Test
    void shadowDeployWritesTheDefaultSqliteLogThroughThePluginsOwnDriver() throws Throwable {
        jenkins.then(EngineOnARealControllerTest::shadowWithTheDefaultLog);
    }

    @Test
    void validateDataLoadsDuckDbsNativeLibraryFromThePlugin() throws Throwable {
        // The hpi's driver has no natives of its own (-nolib): DuckDBNative finds the plugin's copy.
        String data = Fixtures.CHURN_DATA.toString();
        jenkins.then(r -> {
            WorkflowJob job = r.createProject(WorkflowJob.class, "validate");
            job.setDefinition(new CpsFlowDefinition("node { def v = validateData data: '" + data + "/current.csv', reference: '"
                    + data + "/reference.csv'\n echo \"rows=${v.row_count}\" }", true));
            r.assertLogContains("rows=5000", r.buildAndAssertSuccess(job));
        });
    }

    private static void shadowWithTheDefaultLog(JenkinsRule r) throws Throwable {
        HttpServer primary = Fixtures.modelServer("0.25");
        HttpServer shadow = Fixtures.modelServer("0.25");
        try {
            WorkflowJob job = r.createProject(WorkflowJob.class, "shadow");
            r.jenkins.getWorkspaceFor(job).child("requests.jsonl")
                    .write("{\"dataframe_records\": [{\"tenure_months\": 3}]}\n".repeat(20), "UTF-8");
            job.setDefinition(new CpsFlowDefinition("node { def s = shadowDeploy primary: '" + Fixtures.url(primary)
                    + "', shadow: '" + Fixtures.url(shadow) + "', replay: 'requests.jsonl', maxLatencyRatio: 100\n" // a p95 of 20 requests on a busy CI machine is not what this tests
                    + "echo \"logged=${s.log.written} error=${s.log.last_error}\" }", true));
            WorkflowRun build = r.buildAndAssertSuccess(job);
            r.assertLogContains("logged=40 error=null", build); // the primary's and the shadow's answer to each request
        } finally {
            primary.stop(0);
            shadow.stop(0);
        }
    }
}
