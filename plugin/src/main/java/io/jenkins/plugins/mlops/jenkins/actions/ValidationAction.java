package io.jenkins.plugins.mlops.jenkins.actions;

import hudson.model.Run;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.data.ColumnDrift;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.result.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The data-validation report of {@code validateData}. */
public class ValidationAction extends StepResultAction<ValidationResult> {
    public ValidationAction(ValidationResult result, Run<?, ?> run) {
        super(result, run, "mlops-validation");
    }

    @Override
    protected ReportKind<ValidationResult> kind() {
        return ReportKind.VALIDATION;
    }

    @Override
    public Map<String, String> getHighlights() {
        ValidationResult r = getResult();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Data", r.data());
        facts.put("Rows", String.format(Locale.ROOT, "%,d", r.rowCount()));
        long drifted = r.drift().stream().filter(d -> d.status() != Status.PASS).count();
        long tested = r.drift().stream().filter(ColumnDrift::tested).count();
        if (r.reference() != null) {
            facts.put("Drift", drifted + " of " + tested + " tested columns");
        }
        return facts;
    }
}
