package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import groovy.lang.Binding;
import hudson.AbortException;
import hudson.Extension;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.workflow.cps.CpsScript;
import org.jenkinsci.plugins.workflow.cps.GlobalVariable;
import org.jenkinsci.plugins.workflow.cps.GroovySourceFileAllowlist;

/**
 * {@code trainOnGpu} in a Jenkinsfile. A block step cannot allocate an agent (the kubernetes
 * plugin's {@code podTemplate} only defines one; {@code node(POD_LABEL)} allocates it), so, as
 * docker-workflow's {@code docker} variable does, a small Groovy class composes the Pipeline's own
 * steps: {@code podTemplate(yaml: ...)} around {@code retry(conditions: [kubernetesAgent(), nonresumable()])} around
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
     * The body form's pod, from the same parameters as the step. A mistyped parameter fails here
     * (steps only warn about one): {@code gpu: 8} must not quietly ask for the default single GPU.
     */
    public static Map<String, Object> podTemplateArguments(Map<String, ?> arguments) throws AbortException {
        DescribableModel<TrainOnGpuStep> model = DescribableModel.of(TrainOnGpuStep.class);
        Set<String> known = new TreeSet<>();
        model.getParameters().forEach(parameter -> known.add(parameter.getName()));
        Set<String> unknown = new TreeSet<>(arguments.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new AbortException("trainOnGpu: unknown parameter(s) " + String.join(", ", unknown) + "; known: "
                    + String.join(", ", known));
        }
        TrainOnGpuStep step;
        try {
            step = model.instantiate(arguments, null);
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
