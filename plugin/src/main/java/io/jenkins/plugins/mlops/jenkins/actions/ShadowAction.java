package io.jenkins.plugins.mlops.jenkins.actions;

import hudson.model.Run;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowResult;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The report of {@code shadowDeploy}: agreement between primary and shadow, errors, latency. */
public class ShadowAction extends StepResultAction<ShadowResult> {
    public ShadowAction(ShadowResult result, Run<?, ?> run) {
        super(result, run, "mlops-shadow");
    }

    @Override
    protected ReportKind<ShadowResult> kind() {
        return ReportKind.SHADOW;
    }

    @Override
    public Map<String, String> getHighlights() {
        ShadowResult r = getResult();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Compared", String.format(Locale.ROOT, "%,d of %,d requests (%,d rows)", r.compared(), r.requests(), r.rows()));
        facts.put("Agreement", String.format(Locale.ROOT, "%.2f%% [%.2f%%, %.2f%%]", 100 * r.agreement(),
                100 * r.agreementLow(), 100 * r.agreementHigh()));
        facts.put("Shadow errors", String.valueOf(r.shadowErrors()));
        return facts;
    }
}
