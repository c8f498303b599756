package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.image.RegistryAuth;
import io.jenkins.plugins.mlops.packaging.PackageParameters;
import io.jenkins.plugins.mlops.packaging.PackageResult;
import io.jenkins.plugins.mlops.packaging.PackageStep;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mlops package}: the packageModel step. */
@Command(name = "package", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Builds an OCI image that serves the model with MLflow's scoring server, without a Docker daemon: the"
            + " model's requirements resolved to pinned wheels for the base's Python and the model's files, as two"
            + " reproducible layers on the base (the same model and base give the same digest). Pushes it, and writes"
            + " mlops.image=IMAGE@DIGEST on the model version. Credentials for the image registry come from"
            + " MLOPS_IMAGE_REGISTRY_USERNAME and MLOPS_IMAGE_REGISTRY_PASSWORD. --inference-service writes KServe's"
            + " image-free form instead or as well.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  packaged (and pushed)", "  2  bad input: a model or run that does not exist, a bad image name,"
            + " a base that does not exist or has no python3, requirements without wheels",
            "  3  a registry failed, refused the credentials or cannot be reached; nothing was tagged"})
public final class PackageCommand extends StepCommand<PackageResult> implements CatalogueOptions.Bound {
    /** The model registry that models:/ and runs:/ URIs name, and how long each of its calls may take. */
    @Mixin
    RegistryOptions registry;

    @Override
    public ParameterCatalogue catalogue() {
        return PackageParameters.CATALOGUE;
    }

    @Override
    protected PackageResult runStep() {
        PackageParameters parameters = PackageParameters.builder().setAll(CatalogueOptions.values(spec, catalogue()))
                .set("timeout", registry.timeout()).build();
        return PackageStep.run(parameters, registry.registry, RegistryCredentials.fromEnvironment(System.getenv()),
                RegistryAuth.fromEnvironment(System.getenv()), Path.of("").toAbsolutePath(), this::progress);
    }

    @Override
    protected String reportName() {
        return "package";
    }

    @Override
    protected String reportTitle() {
        return "Model packaging";
    }
}
