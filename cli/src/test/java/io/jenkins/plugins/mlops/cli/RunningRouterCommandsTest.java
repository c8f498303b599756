package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.deploy.FaultyServer;
import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shadow}, {@code canary} and {@code ab} with {@code --router}, and the pipeline's stages with
 * {@code router:}, against a router that runs on its own: a missing or refused token, a router that
 * is not there or cannot do what the step asks is exit 2 or 3 with a message that says why, before
 * the step changed anything on the router, and the token is never printed.
 */
@Timeout(120)
class RunningRouterCommandsTest {
    private static final String TOKEN = "bad-input-router-token";

    @TempDir
    Path dir;

    private FaultyServer stable;
    private FaultyServer candidate;
    private FaultyServer shadow;
    private Router router;
    private String url;
    private String tokenFile;
    private String wrongTokenFile;

    @BeforeEach
    void start() throws Exception {
        stable = FaultyServer.start(0.25);
        candidate = FaultyServer.start(0.75);
        shadow = FaultyServer.start(0.5);
        router = Router.start(RouterConfig.builder().listen("127.0.0.1", 0).eventLoops(1).adminToken(TOKEN)
                .variant("stable", URI.create(stable.url())).variant("candidate", URI.create(candidate.url())).build());
        url = router.uri().toString();
        tokenFile = Files.writeString(dir.resolve("token"), TOKEN).toString();
        wrongTokenFile = Files.writeString(dir.resolve("wrong-token"), "not-the-token\n").toString();
    }

    @AfterEach
    void stop() {
        router.close();
        stable.close();
        candidate.close();
        shadow.close();
    }

    @Test
    void eachMistakeIsExit2Or3WithItsReasonAndLeavesTheRouterAsItWas() throws Exception {
        String nowhere = "http://127.0.0.1:" + TestProcesses.freePort();
        List<Object[]> rows = new ArrayList<>();
        rows.add(row(2, "needs the router's admin token", "shadow", "--router", url, "--shadow", shadow.url(), "--requests", "5"));
        rows.add(row(2, "401, the router refused the admin token", "shadow", "--router", url, "--router-token-file",
                wrongTokenFile, "--shadow", shadow.url(), "--requests", "5"));
        rows.add(row(2, "--router-token-file: cannot read", "canary", "--router", url, "--router-token-file",
                dir.resolve("missing").toString()));
        rows.add(row(2, "give --primary or --router, not both", "shadow", "--router", url, "--router-token-file", tokenFile,
                "--primary", stable.url(), "--shadow", shadow.url(), "--requests", "5"));
        rows.add(row(3, "failed 3 times", "shadow", "--router", nowhere, "--router-token-file", tokenFile, "--shadow",
                shadow.url(), "--requests", "5"));
        rows.add(row(2, "--stable is for a router of the step's own", "canary", "--router", url, "--router-token-file", tokenFile,
                "--stable", stable.url()));
        rows.add(row(2, "--router drives a running mlops router", "canary", "--router", url, "--router-token-file", tokenFile,
                "--backend", "istio", "--prometheus", "http://127.0.0.1:9"));
        rows.add(row(2, "give --router or --a and --b, not both", "ab", "--router", url, "--router-token-file", tokenFile,
                "--a", stable.url(), "--duration", "1s"));
        rows.add(row(2, "--router: 'ftp://x' is not an http(s)://HOST:PORT URL", "ab", "--router", "ftp://x",
                "--router-token-file", tokenFile, "--duration", "1s"));
        for (Object[] row : rows) {
            assertRefused((int) row[0], (String) row[1], (String[]) row[2]);
        }
        assertThat(router.weights()).isEqualTo(Map.of("stable", 100, "candidate", 0));
        assertThat(router.mirrorTarget()).isNull();
    }

    @Test
    void aRouterBusyWithAnotherStepRefusesTheSecondWith409() throws Exception {
        router.setMirror(URI.create(candidate.url()));
        assertRefused(2, "409: admin: the router mirrors to " + candidate.url() + " already", "shadow", "--router", url,
                "--router-token-file", tokenFile, "--shadow", shadow.url(), "--requests", "5");
        assertThat(router.mirrorTarget()).isEqualTo(URI.create(candidate.url()));

        router.setWeights(Map.of("stable", 50, "candidate", 50));
        assertRefused(2, "409: admin: variant 'candidate' has 50% of the traffic", "canary", "--router", url,
                "--router-token-file", tokenFile, "--candidate", shadow.url());
        assertThat(router.variants().get("candidate")).isEqualTo(URI.create(candidate.url()));
    }

    @Test
    void aCanaryNeedsARouterWithAStableAndACandidate() {
        try (Router single = Router.start(RouterConfig.builder().listen("127.0.0.1", 0).eventLoops(1).adminToken(TOKEN)
                .variant("production", URI.create(stable.url())).build())) {
            assertRefused(2, "a canary needs 'stable' and 'candidate'", "canary", "--router", single.uri().toString(),
                    "--router-token-file", tokenFile);
            assertThat(single.weights()).isEqualTo(Map.of("production", 100));
        }
    }

    @Test
    void thePipelinesShadowAndCanaryStagesDriveTheRunningRouter() throws Exception {
        Files.writeString(dir.resolve("data.csv"), "x,y\n1,2\n3,4\n");
        Files.writeString(dir.resolve("requests.jsonl"), "{\"dataframe_split\": {\"columns\": [\"x\"], \"data\": [[1.0]]}}\n");
        Files.writeString(dir.resolve("mlops.yaml"), String.join("\n",
                "name: routed",
                "validate:",
                "  data: data.csv",
                "shadow:",
                "  router: " + url,
                "  router-token-file: token",
                "  shadow: " + shadow.url(),
                "  replay: requests.jsonl",
                "  requests: 20",
                "  max-disagreement: 1",
                "  max-latency-ratio: 100",
                "canary:",
                "  router: " + url,
                "  router-token-file: token",
                "  replay: requests.jsonl",
                "  replay-rate: 40",
                "  steps: 50,100",
                "  step-duration: 2s",
                "  interval: 1s",
                "  min-requests: 5",
                "  max-prediction-drift: 1",
                "  max-latency-ratio: 100",
                "  log: none",
                ""));

        InProcess run = InProcess.mlops("run", dir.resolve("mlops.yaml").toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("[2/3] shadow", "[3/3] canary", "(admin API)").doesNotContain(TOKEN);
        assertThat(shadow.requests()).as("the stage mirrored its replay").isGreaterThanOrEqualTo(20);
        assertThat(router.mirrorTarget()).as("and turned the mirror off").isNull();
        assertThat(router.weights()).isEqualTo(Map.of("stable", 0, "candidate", 100));
    }

    private static Object[] row(int exit, String message, String... args) {
        return new Object[] {exit, message, args};
    }

    private static void assertRefused(int exit, String message, String... args) {
        InProcess run = InProcess.mlops(args);
        assertThat(run.code()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(exit);
        assertThat(run.err()).as(String.join(" ", args)).contains(message).doesNotContain(TOKEN).doesNotContain("not-the-token");
    }
}
