package io.jenkins.plugins.mlops.jenkins.actions;

import hudson.model.Run;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.packaging.PackageResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The report of {@code packageModel}: the image by digest, its size, and the model version that names it. */
public class PackageAction extends StepResultAction<PackageResult> {
    public PackageAction(PackageResult result, Run<?, ?> run) {
        super(result, run, "mlops-package");
    }

    @Override
    protected ReportKind<PackageResult> kind() {
        return ReportKind.PACKAGE;
    }

    @Override
    public Map<String, String> getHighlights() {
        PackageResult r = getResult();
        Map<String, String> facts = new LinkedHashMap<>();
        if (r.image() != null) {
            facts.put("Image", r.image());
            facts.put("Size", String.format(Locale.ROOT, "%,d MB in %d layers", Math.round(r.sizeBytes() / 1e6), r.layers()));
            facts.put("Requirements", r.requirements().size() + " pinned, Python " + r.pythonVersion());
        }
        if (r.modelVersion() != null) {
            facts.put("Model", r.modelName() + " version " + r.modelVersion());
        }
        if (r.inferenceService() != null) {
            facts.put("KServe storageUri", r.storageUri());
        }
        return facts;
    }
}
