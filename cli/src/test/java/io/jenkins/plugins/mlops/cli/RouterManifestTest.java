package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Kubernetes manifest docs ship for {@code mlops router} says what the command does: its
 * arguments are the router's options, the pod waits longer than preStop plus the router's grace
 * period, readiness asks the router itself, and the admin token comes from a Secret.
 */
class RouterManifestTest {
    private static final Path MANIFEST = Path.of("..", "docs", "kubernetes", "mlops-router.yaml");

    @Test
    void theDeploymentRunsTheRouterWithAGracePeriodThePodWaitsFor() throws Exception {
        KubernetesSerialization yaml = new KubernetesSerialization();
        List<HasMetadata> objects = Arrays.stream(Files.readString(MANIFEST).split("(?m)^---$"))
                .filter(document -> document.contains("kind:")).map(document -> (HasMetadata) yaml.unmarshal(document)).toList();
        Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
                .orElseThrow();
        Container router = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        CommandLine.ParseResult parsed = MlopsCommand.commandLine().parseArgs(router.getArgs().toArray(String[]::new));
        CommandLine.ParseResult command = parsed.subcommand();
        assertThat(command.commandSpec().name()).isEqualTo("router");
        assertThat(command.hasMatchedOption("--admin-token")).as("no token on the command line").isFalse();
        Duration grace = command.matchedOptionValue("--grace-period", Duration.ZERO);
        long preStop = router.getLifecycle().getPreStop().getSleep().getSeconds();
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(preStop + grace.toSeconds());
        assertThat(grace).isPositive();

        assertThat(router.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/metrics");
        assertThat(router.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("MLOPS_ADMIN_TOKEN");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        });
        // The data plane's collector, and a heap that fits under the container's memory limit with room for the rest.
        String javaOptions = router.getEnv().stream().filter(env -> env.getName().equals("JAVA_TOOL_OPTIONS")).findFirst()
                .orElseThrow().getValue();
        assertThat(javaOptions).contains("-XX:+UseSerialGC").containsPattern("-Xmn\\d+m");
        Matcher heap = Pattern.compile("-Xmx(\\d+)m").matcher(javaOptions);
        assertThat(heap.find()).isTrue();
        long limit = router.getResources().getLimits().get("memory").getNumericalAmount().longValue();
        assertThat(Long.parseLong(heap.group(1)) << 20).isLessThanOrEqualTo(limit / 2);
        String state = command.matchedOptionValue("--state", Path.of("")).toString();
        assertThat(router.getVolumeMounts()).anySatisfy(mount -> assertThat(state).startsWith(mount.getMountPath() + "/"));
        assertThat(deployment.getSpec().getReplicas()).as("the admin API changes the one pod it reaches").isEqualTo(1);
        assertThat(objects).filteredOn(Service.class::isInstance).hasSize(1);
    }
}
