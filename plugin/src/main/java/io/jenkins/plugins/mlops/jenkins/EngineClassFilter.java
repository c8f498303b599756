package io.jenkins.plugins.mlops.jenkins;

import hudson.Extension;
import jenkins.security.CustomClassFilter;

/**
 * Lets the engine's configs and results cross the agent channel. Steps run their core function on
 * the agent that holds the workspace and send the result record back; JEP-200 rejects classes of
 * a library jar in a plugin's {@code WEB-INF/lib} unless a filter permits them. Only classes of the
 * engine's package loaded by this plugin's own class loader are permitted, nothing else.
 */
@Extension
public final class EngineClassFilter implements CustomClassFilter {
    private static final String ENGINE_PACKAGE = "io.jenkins.plugins.mlops.";

    @Override
    public Boolean permits(Class<?> c) {
        if (c.getName().startsWith(ENGINE_PACKAGE) && c.getClassLoader() == EngineClassFilter.class.getClassLoader()) {
            return Boolean.TRUE;
        }
        return null;
    }
}
