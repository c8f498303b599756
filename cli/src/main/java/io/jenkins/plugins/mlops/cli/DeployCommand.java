package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.revision.DeployParameters;
import io.jenkins.plugins.mlops.revision.DeployResult;
import io.jenkins.plugins.mlops.revision.DeployStep;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mlops deploy}: the deployModel step. */
@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Rolls the candidate revision onto Kubernetes with no traffic: in istio mode a Deployment and Service of"
            + " the image by digest (server-side apply, field manager mlops), a DestinationRule subset and a VirtualService"
            + " destination at weight 0. Refuses an image whose digest the model version does not name (mlops package"
            + " writes it). Waits for readiness, then prints the subset canaryRollout takes. --rollback removes the"
            + " candidate, its route first. See docs/deploy.md for the Role it needs.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the candidate is ready at weight 0 (or removed, with --rollback)",
            "  2  bad input: a model version that does not exist or names another image, an image without a digest,"
            + " an unknown namespace, a VirtualService without a route to the host; nothing was applied",
            "  3  the cluster refused (RBAC: the verb and resource are named) or cannot be reached, or the candidate was"
            + " not ready in time (the pods' reason is named and the candidate removed)"})
public final class DeployCommand extends StepCommand<DeployResult> implements CatalogueOptions.Bound {
    /** The model registry that models:/ names, and how long each of its calls may take. */
    @Mixin
    RegistryOptions registry;

    @Override
    public ParameterCatalogue catalogue() {
        return DeployParameters.CATALOGUE;
    }

    @Override
    protected DeployResult runStep() {
        DeployParameters parameters = DeployParameters.builder().setAll(CatalogueOptions.values(spec, catalogue()))
                .set("timeout", registry.timeout()).build();
        return DeployStep.run(parameters, registry.registry, RegistryCredentials.fromEnvironment(System.getenv()),
                Path.of("").toAbsolutePath(), this::progress);
    }

    @Override
    protected String reportName() {
        return "deploy";
    }

    @Override
    protected String reportTitle() {
        return "Model deployment";
    }
}
