package io.jenkins.plugins.mlops.jenkins.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.Extension;
import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.UnprotectedRootAction;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.triggers.Trigger;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * {@code POST /mlops-webhook/alertmanager}: lets a monitoring system start retraining, e.g. an
 * Alertmanager {@code webhook_config} whose {@code http_config.authorization.credentials} is the
 * job's webhook token. The request needs no Jenkins login (Alertmanager has none) and no CSRF crumb
 * ({@link WebhookCrumbExclusion}); the bearer token is what authenticates it, and it starts only
 * the jobs whose {@link DriftTrigger} holds that token. Resolved notifications start nothing.
 */
@Extension
public class RetrainWebhook implements UnprotectedRootAction {
    static final String URL_NAME = "mlops-webhook";
    /** Alertmanager's payloads are a few KiB; anything this large is not one. */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final Logger LOGGER = Logger.getLogger(RetrainWebhook.class.getName());

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    @RequirePOST
    public HttpResponse doAlertmanager(StaplerRequest2 req) throws IOException {
        String token = bearerToken(req.getHeader("Authorization"));
        if (token == null) {
            return HttpResponses.errorWithoutStack(401, "Authorization: Bearer <the job's mlops webhook token> is required");
        }
        JsonNode payload;
        try (InputStream in = req.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                return HttpResponses.errorWithoutStack(413, "payload larger than 1 MiB");
            }
            payload = Json.mapper().readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return HttpResponses.errorWithoutStack(400, "not JSON: " + e.getOriginalMessage());
        }
        List<Job<?, ?>> jobs = jobsFor(token);
        if (jobs.isEmpty()) {
            // The same answer for a wrong token and a right one without jobs: nothing to learn from it.
            return HttpResponses.errorWithoutStack(403, "no job accepts this token");
        }
        Set<String> firing = firingAlerts(payload);
        if (firing.isEmpty()) {
            return HttpResponses.text("no firing alert: nothing started\n");
        }
        DriftCause cause = new DriftCause("Started by mlops webhook: alert " + String.join(", ", firing));
        int started = 0;
        for (Job<?, ?> job : jobs) {
            if (ParameterizedJobMixIn.scheduleBuild2(job, -1, new CauseAction(cause)) != null) {
                started++;
                LOGGER.info(() -> job.getFullName() + ": " + cause.getShortDescription());
            }
        }
        return HttpResponses.text("started " + started + " build(s)\n");
    }

    static String bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /**
     * The names of the alerts that fire: Alertmanager's {@code alerts[].labels.alertname} with
     * {@code status: firing}; a payload without alerts counts as one unnamed firing alert when its
     * own {@code status} is not {@code resolved}, so other monitors can call it too.
     */
    static Set<String> firingAlerts(JsonNode payload) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode alerts = payload == null ? null : payload.get("alerts");
        if (alerts != null && alerts.isArray()) {
            for (JsonNode alert : alerts) {
                if ("firing".equals(alert.path("status").asText())) {
                    names.add(alert.path("labels").path("alertname").asText("unnamed"));
                }
            }
            return names;
        }
        if (payload != null && !"resolved".equals(payload.path("status").asText())) {
            names.add("unnamed");
        }
        return names;
    }

    /** Reads every job as SYSTEM: the caller is anonymous, the token is its authority. */
    static List<Job<?, ?>> jobsFor(String token) {
        List<Job<?, ?>> jobs = new ArrayList<>();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            for (Job<?, ?> job : Jenkins.get().getAllItems(Job.class)) {
                if (job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> parameterized) {
                    for (Trigger<?> trigger : parameterized.getTriggers().values()) {
                        if (trigger instanceof DriftTrigger drift && drift.acceptsToken(token)) {
                            jobs.add(job);
                        }
                    }
                }
            }
        }
        return jobs;
    }
}
