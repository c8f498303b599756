package io.jenkins.plugins.mlops.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.Secret;
import java.util.List;
import jenkins.model.Jenkins;
import jenkins.security.QueueItemAuthenticatorConfiguration;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.MockQueueItemAuthenticator;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** A job's credentials field offers what that job's builds can read, seen as the builds run, and nothing to onlookers. */
@WithJenkins
class CredentialItemsTest {
    private JenkinsRule r;
    private WorkflowJob job;

    @BeforeEach
    void globalCredentials(JenkinsRule rule) throws Exception {
        r = rule;
        job = r.createProject(WorkflowJob.class, "churn");
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "for-builds", "", Secret.fromString("a")));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.SYSTEM,
                "controller-only", "", Secret.fromString("b")));
    }

    @Test
    void aJobRunningAsTheSystemSeesTheGlobalStoreButNotSystemScope() {
        List<String> ids = ids("");
        assertThat(ids, hasItem("for-builds"));
        assertThat(ids, not(hasItem("controller-only")));
    }

    @Test
    void aJobWhoseBuildsRunAsAUserIsNotOfferedCredentialsThatUserCannotRead() {
        // authorize-project's case: the builds run as alice, whom the global store does not serve.
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        QueueItemAuthenticatorConfiguration.get().getAuthenticators()
                .add(new MockQueueItemAuthenticator().authenticate(job.getFullName(), User.getById("alice", true).impersonate2()));
        assertThat(ids(""), not(hasItem("for-builds")));
    }

    @Test
    void someoneWhoCannotConfigureTheJobSeesOnlyTheCurrentValue() {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("bob").grant(hudson.model.Item.READ).onItems(job).to("bob"));
        try (ACLContext ignored = ACL.as2(User.getById("bob", true).impersonate2())) {
            assertThat(ids("for-builds"), contains("for-builds"));
        }
    }

    private List<String> ids(String current) {
        return CredentialItems.forJob(job, StringCredentials.class, current).stream().map(option -> option.value)
                .filter(value -> !value.isEmpty()).toList();
    }
}
