package io.jenkins.plugins.mlops.io;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The cluster a step talks to: one reading of {@code --kubeconfig} and {@code --context} for every step that has them. */
public final class KubernetesConfigs {
    private KubernetesConfigs() {}

    /**
     * The cluster from the kubeconfig, else fabric8's usual search. A few quick retries: an
     * unreachable cluster should fail the build in seconds, not after minutes of back-off.
     *
     * @param kubeconfig a kubeconfig file, relative to {@code directory}, or null
     * @param context a context of it, or null for its current one
     */
    public static Config of(String kubeconfig, String context, Path directory) {
        Config base;
        Path file = kubeconfig == null ? null : directory.resolve(kubeconfig);
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException("--kubeconfig " + kubeconfig + ": no such file");
            }
            try {
                base = Config.fromKubeconfig(context, new File(file.toString()));
            } catch (RuntimeException e) {
                // Whatever the YAML parser threw, not its message: it quotes the file, and a kubeconfig holds tokens and keys.
                throw new BadInputException("--kubeconfig " + kubeconfig + ": not a kubeconfig (YAML with clusters,"
                        + " contexts and users)", e);
            }
        } else {
            try {
                base = Config.autoConfigure(context);
            } catch (KubernetesClientException e) {
                throw new InfrastructureException("cannot configure the Kubernetes client: " + e.getMessage(), e);
            }
        }
        requireContext(base, kubeconfig, context);
        return new ConfigBuilder(base).withRequestRetryBackoffLimit(3).withRequestRetryBackoffInterval(250).build();
    }

    /** A context the kubeconfig does not hold would otherwise fall back to its current context: another cluster. */
    private static void requireContext(Config config, String kubeconfig, String context) {
        if (context == null) {
            return;
        }
        List<String> known = config.getContexts() == null ? List.of()
                : config.getContexts().stream().map(NamedContext::getName).toList();
        if (!known.contains(context)) {
            String where = kubeconfig != null ? "--kubeconfig " + kubeconfig : "the kubeconfig (KUBECONFIG or ~/.kube/config)";
            throw new BadInputException("--context " + context + ": " + where
                    + (known.isEmpty() ? " has no contexts" : " has no such context; it has " + String.join(", ", known)));
        }
    }
}
