package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.report.TrainPanels;
import io.jenkins.plugins.mlops.train.GpuPodSpec;
import io.jenkins.plugins.mlops.train.GpuTraining;
import io.jenkins.plugins.mlops.train.TrainOnGpu;
import io.jenkins.plugins.mlops.train.TrainParameters;
import io.jenkins.plugins.mlops.train.TrainResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlops train}: full training on a GPU, as a Kubernetes Job or on this machine. */
@Command(name = "train",
        description = "Runs full training on a GPU: as a Kubernetes Job (GPU resources, GPU product selector,"
                + " /dev/shm, deadline, preemption retried, log streamed, Job deleted afterwards) or on this machine"
                + " (--backend local: CUDA_VISIBLE_DEVICES set, GPU use sampled through nvidia-smi).",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = MlopsCommand.Version.class,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mlops train --gpus 1 --gpu-type NVIDIA-A100-SXM4-80GB \\",
            "      --image ghcr.io/acme/churn-train:1.4 --memory 32Gi --timeout 6h \\",
            "      --report reports -- python train.py --epochs 20",
            "  mlops train --dry-run --image ghcr.io/acme/churn-train:1.4 -- python train.py",
            "",
            "Exit codes: 0 trained, 1 training failed, 2 bad input, 3 cluster unreachable."
        })
public final class TrainCommand extends StepCommand<TrainResult> implements CatalogueOptions.Bound {

    /** What --dry-run prints. */
    enum DryRun { JOB, POD_TEMPLATE }

    // Output and test options of this command only, outside the step's parameters.
    @Option(names = "--poll-interval", defaultValue = "5s", paramLabel = "T", hidden = true,
            converter = DurationConverter.class, description = "How often the Job's pods are read.")
    Duration pollInterval;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "job", paramLabel = "job|pod-template",
            converter = DryRunConverter.class,
            description = "Print the Job YAML (or, with =pod-template, the pod YAML for the Jenkins kubernetes plugin)"
                    + " and exit 0 without running anything.")
    DryRun dryRun;

    @Override
    public ParameterCatalogue catalogue() {
        return TrainParameters.CATALOGUE;
    }

    @Override
    protected OptionalInt answerWithoutRunning() {
        if (dryRun == null) {
            return OptionalInt.empty();
        }
        TrainParameters parameters = parameters();
        GpuPodSpec pod = parameters.config(parameters.command(), null).podSpec(GpuTraining.jobName(parameters.name()));
        spec.commandLine().getOut().print(dryRun == DryRun.JOB ? pod.jobYaml() : pod.podTemplateYaml());
        spec.commandLine().getOut().flush();
        return OptionalInt.of(ExitCodes.PASSED);
    }

    @Override
    protected TrainResult runStep() {
        return new TrainOnGpu(pollInterval, this::progress).run(parameters(), Path.of(""), Map.of());
    }

    private TrainParameters parameters() {
        return TrainParameters.builder().setAll(CatalogueOptions.values(spec, catalogue())).build();
    }

    @Override
    protected String reportName() {
        return "train";
    }

    @Override
    protected String reportTitle() {
        return "Training";
    }

    @Override
    protected List<String> reportPanels(TrainResult result) {
        return List.of(TrainPanels.train(result));
    }

    /** Reads {@code job} or {@code pod-template}. */
    static final class DryRunConverter implements picocli.CommandLine.ITypeConverter<DryRun> {
        @Override
        public DryRun convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "job" -> DryRun.JOB;
                case "pod-template", "pod_template" -> DryRun.POD_TEMPLATE;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not job or pod-template");
            };
        }
    }
}
