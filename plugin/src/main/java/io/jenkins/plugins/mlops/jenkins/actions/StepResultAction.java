package io.jenkins.plugins.mlops.jenkins.actions;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.report.HtmlReport;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * A step's result on its build: a compact panel on the build page ({@code summary.jelly}) and the
 * full report ({@code index.jelly}), which frames the very page core renders for
 * {@code mlops ... --report}, so the CLI and Jenkins show the same thing. The result is kept as its
 * JSON (the step's schema) in the build directory ({@code mlops/URL-NAME.json}), so a new result
 * field never breaks loading an old build; build.xml holds only the status and the summary, since
 * it is loaded with the build for every page and list (a validation's JSON is tens of KB, and the
 * shadow's worst rows are production payloads).
 *
 * @param <R> the step's result record
 */
public abstract class StepResultAction<R extends StepResult> implements RunAction2, StaplerProxy {
    private static final String DIRECTORY = "mlops";

    private final String urlName;
    private final Status status;
    private final String summary;
    private transient Run<?, ?> run;
    private transient SoftReference<R> result;

    /** Names the action uniquely in {@code run} and writes the result into the build directory. */
    protected StepResultAction(R result, Run<?, ?> run, String baseUrlName) {
        this.urlName = uniqueUrlName(run, baseUrlName);
        this.status = result.status();
        this.summary = result.summary();
        this.result = new SoftReference<>(result);
        this.run = run;
        AtomicFiles.write(jsonFile(run), Json.write(result));
    }

    private Path jsonFile(Run<?, ?> r) {
        return r.getRootDir().toPath().resolve(DIRECTORY).resolve(urlName + ".json");
    }

    /** The report's kind; a constant, so not stored with the build. */
    protected abstract ReportKind<R> kind();

    /** The report's title, e.g. "Model gate". */
    public String getTitle() {
        return kind().title();
    }

    /** A few facts for the build page's summary, label to value, in order. */
    public abstract Map<String, String> getHighlights();

    @Override
    public String getIconFileName() {
        return "symbol-analytics";
    }

    @Override
    public String getDisplayName() {
        return getTitle();
    }

    @Override
    public String getUrlName() {
        return urlName;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    @CheckForNull
    public Run<?, ?> getRun() {
        return run;
    }

    /** Every page of the report needs read access to the job, as the build page itself does. */
    @Override
    public Object getTarget() {
        if (run != null) {
            run.checkPermission(Item.READ);
        }
        return this;
    }

    /** The full result, read from the build directory when first needed and kept while memory allows. */
    public synchronized R getResult() {
        R cached = result == null ? null : result.get();
        if (cached == null) {
            try {
                cached = Json.mapper().readValue(readJson(), kind().type());
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable " + kind().type().getSimpleName() + " in " + run, e);
            }
            result = new SoftReference<>(cached);
        }
        return cached;
    }

    private String readJson() throws IOException {
        if (run == null) {
            throw new IOException("the action is not attached to a build");
        }
        return Files.readString(jsonFile(run), StandardCharsets.UTF_8);
    }

    public Status getStatus() {
        return status;
    }

    public String getSummary() {
        return summary;
    }

    public List<Check> getFailedChecks() {
        return getResult().checks().stream().filter(c -> c.status().isAtLeast(Status.WARN)).toList();
    }

    /** {@code report}: core's page, the same as {@code --report} writes. Framed by {@code index.jelly}. */
    public void doReport(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        getTarget();
        R r = getResult();
        write(rsp, "text/html", HtmlReport.render(r, getTitle(), kind().panels().apply(r)));
    }

    /** {@code mlops-report.css}, which core's page links relative to itself. */
    public void doDynamic(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        getTarget();
        if (!("/" + HtmlReport.STYLESHEET).equals(req.getRestOfPath())) {
            throw HttpResponses.notFound();
        }
        write(rsp, "text/css", HtmlReport.stylesheet());
    }

    /** {@code api/json}-like access to the raw result, for scripts: the step's JSON schema. */
    public void doJson(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        getTarget();
        write(rsp, "application/json", readJson());
    }

    private static void write(StaplerResponse2 rsp, String type, String body) throws IOException {
        rsp.setContentType(type + ";charset=UTF-8");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        rsp.setContentLength(bytes.length);
        rsp.getOutputStream().write(bytes);
    }

    /** A URL name unique within the build, since one build may run a step several times. */
    private static String uniqueUrlName(Run<?, ?> run, String base) {
        int same = 0;
        for (StepResultAction<?> action : run.getActions(StepResultAction.class)) {
            String taken = action.urlName;
            if (taken != null && (taken.equals(base) || taken.startsWith(base + "-"))) {
                same++;
            }
        }
        return same == 0 ? base : base + "-" + (same + 1);
    }
}
