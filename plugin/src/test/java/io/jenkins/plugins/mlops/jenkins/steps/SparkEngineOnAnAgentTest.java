package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.data.SparkConnectServer;
import io.jenkins.plugins.mlops.data.SparkVerdictsTest;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import io.jenkins.plugins.mlops.jenkins.actions.ValidationAction;
import io.jenkins.plugins.mlops.result.Status;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.SimpleCommandLauncher;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.jvnet.hudson.test.recipes.WithTimeout;

/**
 * {@code validateData(engine: 'spark')} on a real agent (its own JVM, which loads the bundled Spark
 * Connect client from the controller over remoting) against a real Spark Connect server (core's
 * fixture, PySpark's Spark, local[2]): the same verdicts as the DuckDB engine on the same data. The
 * client reads results with Arrow, which needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED} in
 * the agent's JVM options: an agent started without it fails the step with that option named.
 */
@WithJenkins
class SparkEngineOnAnAgentTest {
    private static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private JenkinsRule r;
    private WorkflowJob job;

    @TempDir
    Path agents;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "validate");
    }

    /** An agent as an administrator configures one: {@code java JVM_OPTIONS -jar agent.jar}, in its own JVM. */
    private DumbSlave agent(String name, String jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String agentJar = new File(r.jenkins.getJnlpJars("agent.jar").getURL().toURI()).getAbsolutePath();
        DumbSlave agent = new DumbSlave(name, agents.resolve(name).toString(),
                new SimpleCommandLauncher("\"" + java + "\" " + jvmOptions + " -Djava.awt.headless=true -jar \"" + agentJar + "\""));
        agent.setLabelString(name);
        r.jenkins.addNode(agent);
        r.waitOnline(agent);
        Fixtures.churnData(agent.getWorkspaceFor(job));
        return agent;
    }

    private WorkflowRun run(String script, Result expected) throws Exception {
        job.setDefinition(new CpsFlowDefinition(script, true));
        return r.assertBuildStatus(expected, job.scheduleBuild2(0));
    }

    @Test
    @WithTimeout(900)
    void sparkOnAnAgentGivesDuckDbsVerdictsOnTheChurnBatches() throws Exception {
        agent("spark-agent", ADD_OPENS);
        String remote = SparkConnectServer.shared().remote();
        StringBuilder script = new StringBuilder("node('spark-agent') {\n");
        for (String batch : List.of("current", "drifted")) {
            String step = "validateData data: 'data/" + batch + ".csv', reference: 'data/reference.csv', unstableOnFailure: true";
            script.append("  ").append(step).append('\n');
            script.append("  ").append(step).append(", engine: 'spark', sparkRemote: '").append(remote).append("'\n");
        }
        WorkflowRun build = run(script.append("}").toString(), Result.UNSTABLE); // the drifted batch FAILs on both engines
        List<ValidationResult> results = build.getActions(ValidationAction.class).stream().map(ValidationAction::getResult).toList();
        assertThat(results.size(), is(4));
        assertThat(results.get(0).status(), is(Status.PASS));
        assertThat(results.get(2).status(), is(Status.FAIL));
        // Which engine profiled: a CSV's small integers are DuckDB's BIGINT and Spark's INTEGER (the verdicts agree on integer).
        assertThat(results.stream().map(v -> v.profile().column("age").orElseThrow().engineType()).toList(),
                is(List.of("BIGINT", "INTEGER", "BIGINT", "INTEGER")));
        assertThat(SparkVerdictsTest.differences("current", results.get(0), results.get(1)), is(empty()));
        assertThat(SparkVerdictsTest.differences("drifted", results.get(2), results.get(3)), is(empty()));
        r.assertLogContains("monthly_charges", build);

        // Spark's own error about the data (a row FAILFAST rejects) reaches the step as bad input naming the file.
        WorkflowRun ragged = run("node('spark-agent') { writeFile file: 'ragged.csv', text: 'a,b\\n1,2\\n3,x,9\\n4,5\\n'\n"
                + "validateData data: 'ragged.csv', engine: 'spark', sparkRemote: '" + remote + "' }", Result.FAILURE);
        r.assertLogContains("Spark cannot read the data", ragged);
        r.assertLogContains("ragged.csv", ragged);
        assertThat("no report of data that could not be read", ragged.getActions(ValidationAction.class).isEmpty(), is(true));
    }

    @Test
    @WithTimeout(600)
    void anAgentWithoutTheAddOpensAnUnreachableServerAndAMalformedAddressFailTheBuildWithWhatToFix() throws Exception {
        agent("plain-agent", "");
        String step = "node('plain-agent') { validateData data: 'data/current.csv', reference: 'data/reference.csv', unstableOnFailure: true, ";

        WorkflowRun noOpens = run(step + "engine: 'spark', sparkRemote: '" + SparkConnectServer.shared().remote() + "' }", Result.FAILURE);
        r.assertLogContains("validateData: infrastructure failure: ", noOpens);
        r.assertLogContains(ADD_OPENS, noOpens);

        String unreachable = "sc://127.0.0.1:" + TestProcesses.freePort(); // nothing listens there
        WorkflowRun gone = run(step + "engine: 'spark', sparkRemote: '" + unreachable + "' }", Result.FAILURE);
        r.assertLogContains("validateData: infrastructure failure: cannot reach the Spark Connect server at " + unreachable, gone);

        WorkflowRun malformed = run(step + "engine: 'spark', sparkRemote: 'spark-host:15002' }", Result.FAILURE);
        r.assertLogContains("'spark-host:15002' is not a Spark Connect address like sc://HOST:15002", malformed);

        WorkflowRun noRemote = run(step + "engine: 'spark' }", Result.FAILURE);
        r.assertLogContains("--spark-remote sc://HOST:PORT", noRemote);
        for (WorkflowRun build : List.of(noOpens, gone, malformed, noRemote)) {
            assertThat("no report of a step that could not run", build.getAction(ValidationAction.class) == null, is(true));
        }
    }
}
