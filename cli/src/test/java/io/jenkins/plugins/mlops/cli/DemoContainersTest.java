package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.image.LoopbackRegistry;
import io.jenkins.plugins.mlops.image.Podman;
import io.jenkins.plugins.mlops.packaging.ImageDigests;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops demo}'s CD half with the tools installed (scripts/test.sh installs them; under
 * CI=true a missing one fails here): the first run packages the first model, the second packages
 * the candidate, and shadow and canary run against podman containers of both versions' images,
 * none left when the run ends.
 */
class DemoContainersTest {
    private static final Pattern CANDIDATE_IMAGE = Pattern.compile("serve candidate: \\S*podman .* run --rm --name (\\S+) .*"
            + " (127\\.0\\.0\\.1:\\d+/churn@sha256:[0-9a-f]{64}) \\(log");
    private static final Pattern CHAMPION_IMAGE = Pattern.compile("serve champion: \\S*podman .* run --rm --name (\\S+) .*"
            + " (127\\.0\\.0\\.1:\\d+/churn@sha256:[0-9a-f]{64}) \\(log");

    @TempDir
    Path dir;

    @Test
    void theSecondRunPackagesTheCandidateAndServesBothVersionsAsContainers() throws Exception {
        for (String tool : new String[] {"docker-registry", "mmdebstrap", "podman", "runc"}) {
            TestEnvironment.command(tool);
        }
        ChurnProject project = ChurnProject.copy(dir.resolve("churn"));
        demoVenv(project.dir);
        // What this test checks is packaging and serving, not the canary's latency judge: on a busy 2-core agent
        // two containers and the router share the cores, and a slower candidate would fail the run.
        project.replace("mlops.yaml", "max-latency-ratio: 3 ", "max-latency-ratio: 50 ");

        ChurnProject.Result first = ChurnProject.mlops("demo", "--example", project.dir.toString());
        assertThat(first.code()).as("%s", first).isZero();
        assertThat(first.err()).contains("demo: packaging each registered version into 127.0.0.1:", "[", "package")
                .doesNotContain("packaging skipped");
        String firstImage = versionImage(project.dir, 1);

        ChurnProject.Result second = ChurnProject.mlops("demo", "--example", project.dir.toString());
        assertThat(second.code()).as("%s", second).isZero();
        assertThat(second.err()).contains("demo: serving models as containers");
        Matcher candidate = CANDIDATE_IMAGE.matcher(second.err());
        Matcher champion = CHAMPION_IMAGE.matcher(second.err());
        assertThat(candidate.find()).as("the candidate served by podman from its image: %s", second.err()).isTrue();
        assertThat(champion.find()).as("the champion served by podman from its image: %s", second.err()).isTrue();
        assertThat(champion.group(2)).as("the champion's image is the one the first run pushed").isEqualTo(firstImage);
        String candidateImage = versionImage(project.dir, 2);
        assertThat(candidate.group(2)).as("the candidate's image is its version's mlops.image").isEqualTo(candidateImage);
        assertThat(second.err()).contains("shadow", "canary");

        // The demo stopped its registry; its storage serves both images to the next start on the same port.
        Path registryDir = project.dir.resolve(".mlops/image-registry");
        int port = Integer.parseInt(Files.readString(registryDir.resolve("port")).strip());
        try (LoopbackRegistry registry = LoopbackRegistry.start(registryDir, port, null, null)) {
            for (String image : new String[] {firstImage, candidateImage}) {
                String digest = image.substring(image.indexOf('@') + 1);
                HttpResponse<Void> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                        + registry.host() + "/v2/churn/manifests/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .header("Accept", "application/vnd.oci.image.manifest.v1+json").timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(manifest.statusCode()).as("the registry serves %s", image).isEqualTo(200);
            }
        }
        for (String name : new String[] {candidate.group(1), champion.group(1)}) {
            assertThat(Podman.run("ps", "-a", "--filter", "name=" + name, "--format", "{{.Names}}"))
                    .as("no container %s left after the run", name).isEmpty();
        }
        Podman.run("rmi", "-f", firstImage, candidateImage);
    }

    private static String versionImage(Path project, int version) {
        ModelVersion registered = ModelRegistries.open("file:" + project.resolve(".mlops/registry"), RegistryCredentials.NONE,
                Duration.ofSeconds(30), line -> { }).get("churn", version);
        String image = registered.tags().get(ImageDigests.VERSION_TAG);
        assertThat(image).as("version %d's %s tag", version, ImageDigests.VERSION_TAG).matches("127\\.0\\.0\\.1:\\d+/churn@sha256:[0-9a-f]{64}");
        return image;
    }

    /**
     * The demo makes its venv unless one made from this requirements.txt is there: one of the test
     * venv's bin and lib with the demo's marker, so the shared test venv itself is not written.
     */
    static void demoVenv(Path project) throws Exception {
        Path shared = project.resolve(".venv").toRealPath();
        Path venv = project.resolve(".venv");
        Files.delete(venv);
        Files.createDirectories(venv);
        Files.createSymbolicLink(venv.resolve("bin"), shared.resolve("bin"));
        Files.createSymbolicLink(venv.resolve("lib"), shared.resolve("lib"));
        Files.copy(shared.resolve("pyvenv.cfg"), venv.resolve("pyvenv.cfg"));
        Files.writeString(venv.resolve(".requirements.sha256"), DemoCommand.sha256(project.resolve("requirements.txt")) + "\n");
    }
}
