package io.jenkins.plugins.mlops.jenkins.actions;

import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.jenkins.MlflowCredentials;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.registry.RegisterResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * The report of {@code registerModel}, and the one manual action on a model: promoting the
 * registered version, i.e. pointing an alias such as {@code champion} at it in the MLflow server of
 * the global configuration. Promoting is a POST with the CSRF crumb that needs Build permission on
 * the job, the permission that would let the user run the pipeline that promotes anyway.
 */
public class RegistrationAction extends StepResultAction<RegisterResult> {
    private static final Logger LOGGER = Logger.getLogger(RegistrationAction.class.getName());
    static final Duration PROMOTE_TIMEOUT = Duration.ofSeconds(30);

    /** Aliases moved here by hand; an ArrayList, which build.xml stores plainly. */
    private ArrayList<String> promotedAliases;

    public RegistrationAction(RegisterResult result, Run<?, ?> run) {
        super(result, run, "mlops-registration");
    }

    @Override
    protected ReportKind<RegisterResult> kind() {
        return ReportKind.REGISTRATION;
    }

    @Override
    public Map<String, String> getHighlights() {
        RegisterResult r = getResult();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Model", r.version() == null ? r.name() + " (not registered)" : r.name() + " version " + r.version());
        facts.put("Aliases", r.aliases().isEmpty() ? "none" : String.join(", ", r.aliases()));
        List<String> promoted = getPromotedAliases();
        if (!promoted.isEmpty()) {
            facts.put("Promoted by hand", String.join(", ", promoted));
        }
        return facts;
    }

    /** The aliases pointed here by hand, oldest first; read under the lock {@link #doPromote} writes them with. */
    public synchronized List<String> getPromotedAliases() {
        return promotedAliases == null ? List.of() : List.copyOf(promotedAliases);
    }

    /**
     * Whether the promote form applies: a version exists in the MLflow server this controller is
     * configured for. Never for a {@code file:} registry: promoting would write on the controller's
     * disk, where builds' files do not belong; a pipeline moves such an alias on its agent.
     */
    public boolean isPromotable() {
        RegisterResult r = getResult();
        String configured = MlopsConfiguration.get().getTrackingUrl();
        return r.version() != null && configured != null && !configured.regionMatches(true, 0, "file:", 0, 5)
                && sameServer(configured, r.registry());
    }

    public boolean hasPromotePermission() {
        Run<?, ?> run = getRun();
        return run != null && run.getParent().hasPermission(Item.BUILD);
    }

    @RequirePOST
    public synchronized HttpResponse doPromote(@QueryParameter String alias) throws IOException {
        Run<?, ?> run = getRun();
        if (run == null) {
            return HttpResponses.notFound();
        }
        run.getParent().checkPermission(Item.BUILD);
        if (!isPromotable()) {
            return HttpResponses.errorWithoutStack(409, "This version is not in the configured MLflow server"
                    + " (a file: registry is never promoted from the controller).");
        }
        RegisterResult r = getResult();
        MlopsConfiguration config = MlopsConfiguration.get();
        String wanted = alias == null || alias.isBlank() ? "champion" : alias.strip();
        MlflowCredentials credentials = MlflowCredentials.forRun(config.getCredentialsId(), config.isInsecureTls(), run);
        try {
            ModelRegistry registry = ModelRegistries.open(config.getTrackingUrl(), credentials.credentials(), PROMOTE_TIMEOUT,
                    line -> LOGGER.fine(() -> credentials.masker().mask(line)));
            ModelVersion version = registry.setAlias(r.name(), wanted, r.version());
            LOGGER.log(Level.INFO, "{0} pointed alias {1} of {2} at version {3}",
                    new Object[] {hudson.model.User.current(), wanted, r.name(), version.version()});
        } catch (BadInputException e) {
            return HttpResponses.errorWithoutStack(400, credentials.masker().mask(e.getMessage()));
        } catch (InfrastructureException e) {
            return HttpResponses.errorWithoutStack(502, credentials.masker().mask(e.getMessage()));
        }
        if (promotedAliases == null) {
            promotedAliases = new ArrayList<>();
        }
        promotedAliases.remove(wanted);
        promotedAliases.add(wanted);
        run.save();
        return HttpResponses.redirectToDot();
    }

    private static String trimSlash(String url) {
        return url.replaceAll("/+$", "");
    }

    private static boolean sameServer(String configured, String location) {
        return location != null && trimSlash(configured).equalsIgnoreCase(trimSlash(location));
    }
}
