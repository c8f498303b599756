package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import groovy.lang.Binding;
import hudson.AbortException;
import hudson.Extension;
import java.util.Map;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.workflow.cps.CpsScript;
import org.jenkinsci.plugins.workflow.cps.GlobalVariable;
import org.jenkinsci.plugins.workflow.cps.GroovySourceFileAllowlist;

/**
 * {@code trainOnGpu} in a Jenkinsfile. A block step cannot allocate an agent (the kubernetes
 * plugin's {@code podTemplate} only defines one; {@code node(POD_LABEL)} allocates it), so, as
 * docker-workflow's {@code docker} variable does, a small Groovy class composes the Pipeline's own
 * steps: {@code retry(conditions: [kubernetesAgent()])} around {@code podTemplate(yaml: ...)} around
 * {@code node(POD_LABEL)} around {@code container('train')} around the body. Without a body it
 * calls the {@link TrainOnGpuStep} step. Global variables take precedence over steps of the same
 * name, so every {@code trainOnGpu(...)} call comes here.
 */
@Extension
public class TrainOnGpuVariable extends GlobalVariable {
    static final String NAME = "trainOnGpu";
    static final String SCRIPT_CLASS = "io.jenkins.plugins.mlops.jenkins.steps.TrainOnGpu";

    @NonNull
    @Override
    public String getName() {
        return NAME;
    }

    @NonNull
    @Override
    public Object getValue(@NonNull CpsScript script) throws Exception {
        Binding binding = script.getBinding();
        if (binding.hasVariable(NAME)) {
            return binding.getVariable(NAME);
        }
        // A constructor, not a method: a CPS-transformed method called from here would throw CpsCallableInvocation.
        Object value = script.getClass().getClassLoader().loadClass(SCRIPT_CLASS).getConstructor(CpsScript.class)
                .newInstance(script);
        binding.setVariable(NAME, value);
        return value;
    }

    /**
     * The body form's pod, from the same parameters as the step (unknown or mistyped ones are
     * rejected by name, as the step itself would).
     */
    public static Map<String, Object> podTemplateArguments(Map<String, ?> arguments) throws AbortException {
        TrainOnGpuStep step;
        try {
            // null: unknown-parameter warnings go to the log, as for any step (errors still throw)
            step = DescribableModel.of(TrainOnGpuStep.class).instantiate(arguments, null);
        } catch (IllegalArgumentException e) {
            throw new AbortException("trainOnGpu: " + e.getMessage());
        }
        return step.podTemplateArguments();
    }

    /** Lets the CPS class loader load {@code TrainOnGpu.groovy} from this plugin. */
    @Extension
    public static class ScriptAllowlist extends GroovySourceFileAllowlist {
        private final String scriptUrl = TrainOnGpuVariable.class.getResource("TrainOnGpu.groovy").toString();

        @Override
        public boolean isAllowed(String groovySourceFileUrl) {
            return groovySourceFileUrl.equals(scriptUrl);
        }
    }
}
