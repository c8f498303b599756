package io.jenkins.plugins.mlops;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps core free of Jenkins and keeps the steps independent of each other (see DESIGN.md). */
@AnalyzeClasses(packages = "io.jenkins.plugins.mlops", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreHasNoJenkinsTypes = noClasses()
            .should().dependOnClassesThat()
            .resideInAnyPackage("hudson..", "jenkins..", "org.kohsuke..", "org.jenkinsci..")
            .because("core must build and run without Jenkins; the plugin adapts it");

    @ArchTest
    static final ArchRule stepsDoNotImportEachOther = slices()
            .matching("io.jenkins.plugins.mlops.(data|train|gate|registry|deploy)..")
            .should().notDependOnEachOther()
            .because("each step is one function over its own config; pipeline composes them");

    @ArchTest
    static final ArchRule ciRunsProcessesOnly = noClasses()
            .that().resideInAPackage("io.jenkins.plugins.mlops.ci..")
            .should().dependOnClassesThat(resideInAnyPackage("io.jenkins.plugins.mlops.data..",
                    "io.jenkins.plugins.mlops.gate..", "io.jenkins.plugins.mlops.registry..",
                    "io.jenkins.plugins.mlops.deploy..", "io.jenkins.plugins.mlops.report..",
                    "io.jenkins.plugins.mlops.pipeline..", "io.jenkins.plugins.mlops.train.."))
            .because("the ci step runs commands through the shared process package and depends on no other step");

    @ArchTest
    static final ArchRule processKnowsNoSteps = noClasses()
            .that().resideInAPackage("io.jenkins.plugins.mlops.process..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.jenkins.plugins.mlops.ci..", "io.jenkins.plugins.mlops.data..",
                    "io.jenkins.plugins.mlops.train..", "io.jenkins.plugins.mlops.gate..",
                    "io.jenkins.plugins.mlops.registry..", "io.jenkins.plugins.mlops.deploy..",
                    "io.jenkins.plugins.mlops.packaging..", "io.jenkins.plugins.mlops.pipeline..",
                    "io.jenkins.plugins.mlops.report..")
            .because("starting a command under limits is a tool the steps share (train, ci, pipeline), not a step");

    @ArchTest
    static final ArchRule sharedPackagesDoNotDependOnSteps = noClasses()
            .that().resideInAnyPackage("io.jenkins.plugins.mlops.result..", "io.jenkins.plugins.mlops.io..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.jenkins.plugins.mlops.ci..", "io.jenkins.plugins.mlops.data..",
                    "io.jenkins.plugins.mlops.train..",
                    "io.jenkins.plugins.mlops.gate..", "io.jenkins.plugins.mlops.registry..",
                    "io.jenkins.plugins.mlops.deploy..", "io.jenkins.plugins.mlops.report..",
                    "io.jenkins.plugins.mlops.pipeline..")
            .because("result and io are the vocabulary every step shares");

    @ArchTest
    static final ArchRule imagesKnowNoSteps = noClasses()
            .that().resideInAPackage("io.jenkins.plugins.mlops.image..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.jenkins.plugins.mlops.data..", "io.jenkins.plugins.mlops.train..",
                    "io.jenkins.plugins.mlops.gate..", "io.jenkins.plugins.mlops.registry..",
                    "io.jenkins.plugins.mlops.deploy..", "io.jenkins.plugins.mlops.packaging..",
                    "io.jenkins.plugins.mlops.pipeline..", "io.jenkins.plugins.mlops.report..")
            .because("OCI images and registries are a tool the packaging step uses (and deploy will), not a step");

    @ArchTest
    static final ArchRule packagingUsesTheRegistryPortOnly = noClasses()
            .that().resideInAPackage("io.jenkins.plugins.mlops.packaging..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.jenkins.plugins.mlops.data..", "io.jenkins.plugins.mlops.train..",
                    "io.jenkins.plugins.mlops.gate..", "io.jenkins.plugins.mlops.deploy..", "io.jenkins.plugins.mlops.pipeline..")
            .because("packaging reads a model from the registry and writes its image's digest there, nothing else");

    @ArchTest
    static final ArchRule deployingARevisionReadsTheRegistryAndWritesTheCluster = noClasses()
            .that().resideInAPackage("io.jenkins.plugins.mlops.revision..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.jenkins.plugins.mlops.data..", "io.jenkins.plugins.mlops.train..",
                    "io.jenkins.plugins.mlops.gate..", "io.jenkins.plugins.mlops.pipeline..",
                    "io.jenkins.plugins.mlops.deploy.router..", "io.jenkins.plugins.mlops.deploy.rollout..")
            .because("deploy reads the model version and its image digest, and writes the resources the traffic"
                    + " backends then move; it runs no rollout")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule ingestUsesTheDataStepsFingerprintOnly = noClasses()
            .that().resideInAPackage("io.jenkins.plugins.mlops.ingest..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.jenkins.plugins.mlops.train..", "io.jenkins.plugins.mlops.gate..",
                    "io.jenkins.plugins.mlops.registry..", "io.jenkins.plugins.mlops.deploy..",
                    "io.jenkins.plugins.mlops.packaging..", "io.jenkins.plugins.mlops.pipeline..",
                    "io.jenkins.plugins.mlops.report..")
            .because("ingest writes the data the other steps read; it fingerprints it as the data step does, and registerModel"
                    + " reads its sidecar as JSON");

    @ArchTest
    static final ArchRule reportReadsResultsOnly = noClasses()
            .that().resideInAPackage("io.jenkins.plugins.mlops.report..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.jenkins.plugins.mlops.pipeline..", "io.jenkins.plugins.mlops.registry..",
                    "io.jenkins.plugins.mlops.deploy..")
            .because("reports render result values, they do not run steps");
}
