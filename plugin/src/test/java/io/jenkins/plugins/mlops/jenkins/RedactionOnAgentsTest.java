package io.jenkins.plugins.mlops.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import hudson.slaves.DumbSlave;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.util.Objects;
import jenkins.security.MasterToSlaveCallable;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Registry secrets are masked in the agent JVM that the steps' engine calls run in, not only on the controller. */
@WithJenkins
class RedactionOnAgentsTest {

    @Test
    void credentialsSentToAnAgentTeachItsRedactionTheirSecrets(JenkinsRule r) throws Exception {
        DumbSlave agent = r.createOnlineSlave();
        RegistryCredentials credentials = new RegistryCredentials("mlflow-token-7f3a9c", "svc", "p4ssw0rd-e1b2", false);
        String seen = agent.getChannel().call(new EchoOnAgent(credentials, "token mlflow-token-7f3a9c, password p4ssw0rd-e1b2"));
        assertThat(seen, is("token ****, password ****"));
    }

    /** What an MLflow error body quoting the secrets looks like after the agent's redaction. */
    private static final class EchoOnAgent extends MasterToSlaveCallable<String, RuntimeException> {
        private static final long serialVersionUID = 1L;
        private final RegistryCredentials credentials;
        private final String message;

        EchoOnAgent(RegistryCredentials credentials, String message) {
            this.credentials = credentials;
            this.message = message;
        }

        /** Deserializing {@link #credentials} here, in the agent's JVM, is what must teach its redaction. */
        @Override
        public String call() {
            Objects.requireNonNull(credentials, "the credentials travel with the call");
            return Redaction.redactKnown(message);
        }
    }
}
