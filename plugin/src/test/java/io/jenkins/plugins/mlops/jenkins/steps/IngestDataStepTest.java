package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Result;
import io.jenkins.plugins.mlops.deploy.Postgres;
import io.jenkins.plugins.mlops.jenkins.actions.IngestAction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * ingestData as a thin adapter over core's ingest: a real PostgreSQL, the warehouse's user and
 * password from a username/password credential, masked; a wrong password fails the build without
 * showing it. The step's behaviour is core's IngestOnPostgresTest.
 */
@WithJenkins
class IngestDataStepTest {
    private static final String PASSWORD = "warehouse-password-never-shown";

    @Test
    void aWindowIngestedWithJenkinsCredentialsAndAWrongPasswordRefused(JenkinsRule r) throws Exception {
        try (Postgres postgres = Postgres.start()) {
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE labels AS SELECT g AS id, DATE '2026-11-01' + (g % 10) AS day, g % 2 AS label"
                        + " FROM generate_series(1, 1000) g");
                s.execute("CREATE ROLE reader LOGIN PASSWORD '" + PASSWORD + "'");
                s.execute("GRANT SELECT ON labels TO reader");
            }
            postgres.requirePassword("reader");
            var store = CredentialsProvider.lookupStores(r.jenkins).iterator().next();
            store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "warehouse", "w",
                    "reader", PASSWORD));
            store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "wrong", "w",
                    "reader", "not-" + PASSWORD));
            String url = postgres.jdbcUrl().replaceAll("\\?.*", "");
            WorkflowJob job = r.createProject(WorkflowJob.class, "ingest");
            String step = "ingestData jdbcUrl: '" + url + "', query: 'SELECT id, label FROM labels WHERE day >= :start AND day < :end',"
                    + " param: 'start=2026-11-01\\nend=2026-11-03', output: 'batch.parquet', credentialsId: ";
            job.setDefinition(new CpsFlowDefinition("node { def i = " + step + "'warehouse'\n echo \"rows=${i.rows}\"\n"
                    + " echo readFile('batch.parquet.lineage.json') }", true));
            WorkflowRun build = r.assertBuildStatus(Result.SUCCESS, job.scheduleBuild2(0));
            r.assertLogContains("rows=200", build);
            r.assertLogContains("\"data_fingerprint\"", build);
            assertThat(build.getAction(IngestAction.class).getResult().rows(), is(200L));
            assertThat(JenkinsRule.getLog(build), not(containsString(PASSWORD)));

            job.setDefinition(new CpsFlowDefinition("node { " + step + "'wrong' }", true));
            WorkflowRun refused = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
            r.assertLogContains("password authentication failed", refused);
            assertThat(JenkinsRule.getLog(refused), not(containsString(PASSWORD)));
        }
    }
}
