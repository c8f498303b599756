package io.jenkins.plugins.mlops.jenkins.actions;

import hudson.model.Run;
import io.jenkins.plugins.mlops.ingest.IngestResult;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The report of {@code ingestData}: the file written, its rows and fingerprint, and the values the query was bound with. */
public class IngestAction extends StepResultAction<IngestResult> {
    public IngestAction(IngestResult result, Run<?, ?> run) {
        super(result, run, "mlops-ingest");
    }

    @Override
    protected ReportKind<IngestResult> kind() {
        return ReportKind.INGEST;
    }

    @Override
    public Map<String, String> getHighlights() {
        IngestResult r = getResult();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Data", r.output());
        facts.put("Rows", String.format(Locale.ROOT, "%,d in %d columns", r.rows(), r.columns().size()));
        facts.put("Fingerprint", r.dataFingerprint());
        if (!r.parameters().isEmpty()) {
            facts.put("Parameters", String.join(", ", r.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        return facts;
    }
}
