package io.jenkins.plugins.mlops.jenkins.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.jenkins.plugins.mlops.data.ValidateDataParameters;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryRolloutParameters;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowParameters;
import io.jenkins.plugins.mlops.gate.GateParameters;
import io.jenkins.plugins.mlops.ingest.IngestParameters;
import io.jenkins.plugins.mlops.packaging.PackageParameters;
import io.jenkins.plugins.mlops.revision.DeployParameters;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.registry.RegisterParameters;
import io.jenkins.plugins.mlops.train.SmokeTrainParameters;
import io.jenkins.plugins.mlops.train.TrainParameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;

/**
 * The Jenkins side of the parameter-consistency check (the CLI and mlops.yaml side is the CLI's
 * ParameterConsistencyTest): a step's {@code @DataBoundSetter}s are exactly its catalogue's Jenkins
 * parameters, what every mlops step takes and the few listed here with their reason; each has a
 * help file and a field in the form.
 */
class StepParametersTest {
    /** Every mlops step's own: where its report goes and whether a failed verdict only marks the build UNSTABLE. */
    private static final Set<String> EVERY_STEP = Set.of("report", "unstableOnFailure");

    static Stream<Arguments> steps() {
        return Stream.of(
                // The router's admin token: a Secret text credential, where the CLI reads a file or the environment.
                Arguments.of(CanaryRolloutStep.class, CanaryRolloutParameters.CATALOGUE, Set.of("routerCredentialsId")),
                // The body form's: the kubernetes plugin's cloud, and how often a lost agent pod is replaced.
                Arguments.of(TrainOnGpuStep.class, TrainParameters.CATALOGUE, Set.of("cloud", "retries")),
                // Where baselineModel is looked up: the registry comes with its credentials from Jenkins.
                Arguments.of(GateModelStep.class, GateParameters.CATALOGUE, Set.of("registry")),
                // The registry, with its credentials from Jenkins.
                Arguments.of(RegisterModelStep.class, RegisterParameters.CATALOGUE, Set.of("registry")),
                // The model registry with its credentials from Jenkins, and the image registry's credentials id.
                Arguments.of(PackageModelStep.class, PackageParameters.CATALOGUE, Set.of("registry", "credentialsId")),
                // The model registry, with its credentials from Jenkins.
                Arguments.of(DeployModelStep.class, DeployParameters.CATALOGUE, Set.of("registry")),
                Arguments.of(ValidateDataStep.class, ValidateDataParameters.CATALOGUE, Set.of()),
                Arguments.of(ShadowDeployStep.class, ShadowParameters.CATALOGUE, Set.of("routerCredentialsId")),
                Arguments.of(SmokeTrainStep.class, SmokeTrainParameters.CATALOGUE, Set.of()),
                // The warehouse's user and password: a username/password credential, where the CLI reads the environment.
                Arguments.of(IngestDataStep.class, IngestParameters.CATALOGUE, Set.of("credentialsId")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void theStepTakesItsCatalogueParametersWithHelpAndAFormField(Class<?> step, ParameterCatalogue catalogue,
            Set<String> jenkinsOnly) throws IOException {
        Set<String> expected = new TreeSet<>(catalogue.names(FrontEnd.JENKINS));
        expected.addAll(jenkinsOnly);
        expected.addAll(EVERY_STEP);

        assertThat("parameters of " + step.getSimpleName(), parameters(step), equalTo(expected));
        assertThat("help-*.html of " + step.getSimpleName(), helpFiles(step), equalTo(expected));
        assertThat("fields of its config.jelly", formFields(step), equalTo(expected));
    }

    /** The freestyle forms keep a step for their parameters: they must take all of them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("builders")
    void theFreestyleBuildersTakeTheirStepsParameters(Class<?> builder, Class<?> step) {
        assertThat(parameters(builder), equalTo(parameters(step)));
    }

    static Stream<Arguments> builders() {
        return Stream.of(Arguments.of(GateModelBuilder.class, GateModelStep.class),
                Arguments.of(ValidateDataBuilder.class, ValidateDataStep.class));
    }

    /** The names Pipeline and the forms bind: the {@code @DataBoundConstructor}'s and the {@code @DataBoundSetter}s'. */
    private static Set<String> parameters(Class<?> type) {
        return DescribableModel.of(type).getParameters().stream().map(DescribableParameter::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> helpFiles(Class<?> step) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String name : resource(step, "").split("\n")) {
            Matcher help = Pattern.compile("help-(\\w+)\\.html").matcher(name);
            if (help.matches()) {
                names.add(help.group(1));
            }
        }
        return names;
    }

    private static Set<String> formFields(Class<?> step) throws IOException {
        Matcher field = Pattern.compile("field=\"(\\w+)\"").matcher(resource(step, "config.jelly"));
        Set<String> names = new TreeSet<>();
        while (field.find()) {
            names.add(field.group(1));
        }
        return names;
    }

    /** A file of the step's resource directory, or the directory's listing for "" (resources are on disk in tests). */
    private static String resource(Class<?> step, String name) throws IOException {
        try (InputStream in = step.getResourceAsStream(step.getSimpleName() + "/" + name)) {
            assertThat(step.getSimpleName() + "/" + name, in, notNullValue());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
