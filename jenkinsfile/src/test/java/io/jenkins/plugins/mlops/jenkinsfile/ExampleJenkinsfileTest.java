package io.jenkins.plugins.mlops.jenkinsfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lesfurets.jenkins.unit.BasePipelineTest;
import groovy.lang.Closure;
import groovy.lang.GroovyShell;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/churn/Jenkinsfile.scripted, run by JenkinsPipelineUnit on the example's real tables:
 * good data and a better candidate go all the way to the canary; drifted data stops the pipeline
 * before any training; a worse candidate is neither registered nor deployed.
 */
class ExampleJenkinsfileTest extends BasePipelineTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("mlops.repo", ".."), "examples", "churn");

    @TempDir
    Path workspace;

    private MlopsBindings mlops;
    private String registry;
    private double candidateAccuracy = 0.92;
    private final List<String> shell = new ArrayList<>();

    @BeforeEach
    void setUpPipeline() throws Exception {
        setScriptRoots(EXAMPLE.toString());
        setScriptExtension("scripted");
        super.setUp();
        Files.createDirectories(workspace.resolve("data"));
        for (String table : new String[] {"reference.csv", "current.csv", "drifted.csv"}) {
            Files.copy(EXAMPLE.resolve("data").resolve(table), workspace.resolve("data").resolve(table));
        }
        Files.copy(EXAMPLE.resolve("schema.yaml"), workspace.resolve("schema.yaml"));
        registry = "file:" + workspace.resolve("registry");
        mlops = new MlopsBindings(workspace, registry, this::updateBuildStatus);

        GroovyShell groovy = new GroovyShell();
        groovy.setVariable("mlops", mlops);
        groovy.setVariable("test", this);
        register(groovy, "validateData", "{ Map a -> mlops.validateData(a) }", Map.class);
        register(groovy, "gateModel", "{ Map a -> mlops.gateModel(a) }", Map.class);
        register(groovy, "registerModel", "{ Map a -> mlops.registerModel(a) }", Map.class);
        register(groovy, "smokeTrain", "{ Map a -> mlops.record('smokeTrain', a, [status: 'PASS']) }", Map.class);
        register(groovy, "trainOnGpu", "{ Map a, Closure body -> mlops.record('trainOnGpu', a, [:]); body() }",
                Map.class, Closure.class);
        register(groovy, "shadowDeploy", "{ Map a -> mlops.record('shadowDeploy', a, [status: 'PASS']) }", Map.class);
        register(groovy, "canaryRollout",
                "{ Map a -> mlops.record('canaryRollout', a, [status: 'PASS', outcome: 'promoted', final_weight: 100]) }",
                Map.class);
        register(groovy, "mlopsDrift", "{ Map a -> a }", Map.class);
        register(groovy, "sh", "{ String script -> test.sh(script) }", String.class);
        register(groovy, "node", "{ String label, Closure body -> body() }", String.class, Closure.class);
        register(groovy, "stash", "{ Map a -> null }", Map.class);
        register(groovy, "unstash", "{ String name -> null }", String.class);
        register(groovy, "junit", "{ Map a -> null }", Map.class);
        register(groovy, "archiveArtifacts", "{ Map a -> null }", Map.class);
    }

    private void register(GroovyShell groovy, String name, String closure, Class<?>... parameters) {
        getHelper().registerAllowedMethod(name, List.of(parameters), (Closure<?>) groovy.evaluate(closure));
    }

    /** The shell steps: the example's train.py and evaluate.py, played by writing what they write. */
    public void sh(String script) throws IOException {
        shell.add(script);
        if (script.contains("train.py")) {
            Path model = Files.createDirectories(workspace.resolve("out/train/model"));
            Files.writeString(model.resolve("MLmodel"), "flavors: {}\n");
        } else if (script.contains("--out out/candidate.csv")) {
            predictions(workspace.resolve("out/candidate.csv"), candidateAccuracy, 12);
        } else if (script.contains("--out out/champion.csv")) {
            predictions(workspace.resolve("out/champion.csv"), 0.80, 11);
        }
    }

    /** A model's predictions on data/current.csv: right with probability {@code accuracy}, labels from the table. */
    private void predictions(Path file, double accuracy, long seed) throws IOException {
        List<String> rows = Files.readAllLines(workspace.resolve("data/current.csv"), StandardCharsets.UTF_8);
        List<String> header = List.of(rows.get(0).split(","));
        int id = header.indexOf("customer_id");
        int label = header.indexOf("churned");
        Random model = new Random(seed);
        StringBuilder csv = new StringBuilder("customer_id,churned,predicted,score\n");
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",", -1);
            int truth = Integer.parseInt(cells[label]);
            int predicted = model.nextDouble() < accuracy ? truth : 1 - truth;
            double score = predicted == 1 ? 0.5 + model.nextDouble() / 2 : model.nextDouble() / 2;
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f%n", cells[id], truth, predicted, score));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
    }

    @Test
    void goodDataAndABetterCandidateGoAllTheWayToTheCanary() throws Exception {
        runScript("Jenkinsfile.scripted");
        assertJobStatusSuccess();
        assertThat(mlops.calls()).containsExactly("validateData", "smokeTrain", "trainOnGpu", "gateModel",
                "registerModel", "shadowDeploy", "canaryRollout");
        assertThat(ModelRegistries.open(registry, RegistryCredentials.NONE, Duration.ofSeconds(5), line -> {})
                .getByAlias("churn", "staging").version()).isEqualTo(1);
        assertThat(workspace.resolve("reports/gate/gate.json")).exists();
        assertThat(mlops.argumentsOf("trainOnGpu")).containsEntry("gpus", 1).containsEntry("retries", 2);
        assertThat(shell).anyMatch(s -> s.contains("models:/churn@champion"));
        Map<?, ?> build = (Map<?, ?>) getBinding().getVariable("currentBuild");
        assertThat(build.get("description").toString()).isEqualTo("churn version 1");
    }

    @Test
    void driftedDataStopsThePipelineBeforeAnyTraining() throws Exception {
        Files.copy(workspace.resolve("data/drifted.csv"), workspace.resolve("data/current.csv"),
                StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> runScript("Jenkinsfile.scripted")).hasMessageContaining("validateData FAIL");
        assertJobStatusFailure();
        assertThat(mlops.calls()).containsExactly("validateData");
        assertThat(shell).isEmpty();
    }

    @Test
    void aWorseCandidateIsNeitherRegisteredNorDeployed() throws Exception {
        candidateAccuracy = 0.70;
        runScript("Jenkinsfile.scripted");
        assertJobStatusUnstable();
        assertThat(mlops.calls()).containsExactly("validateData", "smokeTrain", "trainOnGpu", "gateModel");
        assertThat(workspace.resolve("registry")).doesNotExist();
        Map<?, ?> build = (Map<?, ?>) getBinding().getVariable("currentBuild");
        assertThat(build.get("description").toString()).startsWith("candidate rejected: ");
    }
}
