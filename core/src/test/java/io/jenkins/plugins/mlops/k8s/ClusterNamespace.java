package io.jenkins.plugins.mlops.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh namespace of the {@link TestCluster} for each test, where mlops has its role, with a
 * client as the mlops service account; both go after the test. Register it with
 * {@code @RegisterExtension}.
 */
public final class ClusterNamespace implements BeforeEachCallback, AfterEachCallback {
    private final String prefix;
    private TestCluster cluster;
    private String name;
    private KubernetesClient mlops;

    public ClusterNamespace(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        cluster = TestCluster.get();
        name = cluster.namespace(prefix);
        mlops = cluster.mlopsClient();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (mlops != null) {
            mlops.close();
            cluster.admin().namespaces().withName(name).delete();
        }
    }

    public TestCluster cluster() {
        return cluster;
    }

    /** The namespace's name. */
    public String name() {
        return name;
    }

    /** A client as the mlops service account, closed after the test. */
    public KubernetesClient mlops() {
        return mlops;
    }
}
