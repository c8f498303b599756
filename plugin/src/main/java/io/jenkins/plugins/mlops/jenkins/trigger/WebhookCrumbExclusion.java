package io.jenkins.plugins.mlops.jenkins.trigger;

import hudson.Extension;
import hudson.security.csrf.CrumbExclusion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Monitoring systems cannot fetch a CSRF crumb; the webhook authenticates every request by its
 * bearer token instead, which a cross-site form cannot set, so the crumb adds nothing there.
 */
@Extension
public class WebhookCrumbExclusion extends CrumbExclusion {
    @Override
    public boolean process(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getPathInfo();
        if (path != null && path.startsWith("/" + RetrainWebhook.URL_NAME + "/")) {
            chain.doFilter(request, response);
            return true;
        }
        return false;
    }
}
