package io.jenkins.plugins.mlops.jenkins.actions;

import static io.jenkins.plugins.mlops.jenkins.Fixtures.modelServer;
import static io.jenkins.plugins.mlops.jenkins.Fixtures.url;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.sun.net.httpserver.HttpServer;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Result;
import io.jenkins.plugins.mlops.jenkins.Fixtures;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Every action's build-page summary and full page, as Jenkins renders them: with JavaScript on
 * (HtmlUnit fails on a script error), under Jenkins' Content-Security-Policy in enforcing mode
 * (Chromium reports every violation on its console), for a user with Read only, and nothing for
 * anonymous. Screenshots go to target/screenshots.
 */
@WithJenkins
class ActionPagesTest {
    /** Jenkins 2.541's switch for the CSP header (jenkins.security.csp.impl.SystemPropertyHeaderDecider). */
    private static final String CSP_PROPERTY = "jenkins.security.csp.CspHeader.headerName";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final List<String> ACTIONS = List.of("mlops-validation", "mlops-smoke", "mlops-train", "mlops-gate",
            "mlops-registration", "mlops-shadow", "mlops-canary");

    @Test
    void everyActionRendersWithScriptAndUnderAnEnforcedContentSecurityPolicy(JenkinsRule r) throws Exception {
        System.setProperty(CSP_PROPERTY, "Content-Security-Policy");
        try {
            WorkflowJob job = r.createProject(WorkflowJob.class, "churn");
            WorkflowRun build = buildWithEveryAction(r, job);
            r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
            r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                    .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
            List<String> urls = new ArrayList<>(List.of("job/churn/1/", "job/churn/mlops-gate-trend/"));
            ACTIONS.forEach(action -> urls.add("job/churn/1/" + action + "/"));

            JenkinsRule.WebClient reader = r.createWebClient().login("reader");
            for (String url : urls) {
                HtmlPage page = reader.goTo(url); // fails on any script error
                assertThat(url + " is enforced", page.getWebResponse().getResponseHeaderValue("Content-Security-Policy"),
                        containsString("script-src"));
            }
            String summaries = reader.goTo("job/churn/1/").asNormalizedText();
            for (String title : List.of("Data validation", "Smoke training", "Training", "Model gate", "Model registration",
                    "Shadow deployment", "Canary rollout")) {
                assertThat(summaries, containsString(title + ": "));
            }
            // A check that did not pass, with its status and message (both record accessors in the Jelly).
            assertThat(summaries, containsString("WARN lineage_data_fingerprint: no data fingerprint"));

            String trend = reader.goTo("job/churn/mlops-gate-trend/").asNormalizedText();
            assertThat("numbers as the reports write them", trend, containsString("0.9383"));
            assertThat(trend, not(containsString("0.93833333")));

            JenkinsRule.WebClient anonymous = r.createWebClient();
            for (String url : urls) {
                anonymous.assertFails(url, 403); // no Overall/Read: the login page
            }
            inChromium(r, urls);
            assertThat(build.getResult(), is(Result.SUCCESS));
        } finally {
            System.clearProperty(CSP_PROPERTY);
        }
    }

    /** One build that runs every step, on the churn example's data; a second gate build gives the trend two points. */
    private static WorkflowRun buildWithEveryAction(JenkinsRule r, WorkflowJob job) throws Exception {
        FilePath workspace = r.jenkins.getWorkspaceFor(job);
        Fixtures.churnData(workspace);
        Fixtures.predictions(workspace.child("preds/baseline.csv"), 0.80, 11);
        Fixtures.predictions(workspace.child("preds/cand.csv"), 0.92, 12);
        Fixtures.requests(workspace);
        MlopsConfiguration.get().setTrackingUrl("file:" + workspace.child("registry").getRemote());
        HttpServer stable = modelServer("0.25");
        HttpServer candidate = modelServer("0.25");
        try {
            String gate = "gateModel baseline: 'preds/baseline.csv', candidate: 'preds/cand.csv', id: 'id', label: 'churned',"
                    + " prediction: 'pred', score: 'proba', metric: 'accuracy,roc_auc', report: 'reports/gate'\n";
            job.setDefinition(new CpsFlowDefinition("node {\n"
                    + "validateData data: 'data/current.csv', reference: 'data/reference.csv', report: 'reports/validation'\n"
                    + "smokeTrain data: 'data/reference.csv', label: 'churned', rows: 50, expectOutput: '{out}/model.pkl',"
                    + " command: 'sh -c \"echo epoch {epochs} loss 0.42 && echo trained > {out}/model.pkl\"'\n"
                    + "trainOnGpu backend: 'local', gpus: 0, command: 'sh -c \"echo epoch 1 loss 0.3\"'\n"
                    + gate
                    + "writeFile file: 'out/model/model.pkl', text: 'weights'\n"
                    // No validation report: the registration warns that it records no data fingerprint.
                    + "registerModel name: 'churn', model: 'out/model', gateReport: 'reports/gate/gate.json', gitCommit: 'abc123'\n"
                    + "shadowDeploy primary: '" + url(stable) + "', shadow: '" + url(candidate) + "', listen: '127.0.0.1:0',"
                    + " replay: 'requests.jsonl', log: 'none', maxLatencyRatio: 100\n"
                    + "canaryRollout stable: '" + url(stable) + "', candidate: '" + url(candidate) + "', listen: '127.0.0.1:0',"
                    + " replay: 'requests.jsonl', replayRate: 50, steps: '50,100', stepDuration: '4s', interval: '2s',"
                    + " minRequests: 20, log: 'none', maxLatencyRatio: 100\n" // the same server twice: speed is not judged here
                    + "}", true));
            WorkflowRun build = r.buildAndAssertSuccess(job);
            job.setDefinition(new CpsFlowDefinition("node {\n" + gate + "}", true));
            r.buildAndAssertSuccess(job);
            return build;
        } finally {
            stable.stop(0);
            candidate.stop(0);
        }
    }

    /**
     * The report's own header (title, status, summary) is the only one: the page does not repeat it
     * above the frame; and the frame ends inside the window, so the report scrolls in one place.
     */
    private static void assertFramedOnce(String url, Page page) {
        assertThat(url, page.locator("iframe.mlops-report-frame").count(), is(1));
        String title = page.frameLocator("iframe.mlops-report-frame").locator("h1").first().textContent();
        assertThat(url, page.locator("#main-panel h1").count(), is(0));
        assertThat(url + ": " + title, title.isBlank(), is(false));
        var frame = page.locator("iframe.mlops-report-frame").boundingBox();
        assertThat(url + " frame ends inside the window", frame.y + frame.height <= page.viewportSize().height, is(true));
        assertThat(url + " frame is not a sliver", frame.height >= 300, is(true));
    }

    /** Each page in Chromium, as the reader: no console error (CSP violations are reported there), a screenshot each. */
    private static void inChromium(JenkinsRule r, List<String> urls) throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        assumeTrue(ci || Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (CI=true makes this a failure)");
        Files.createDirectories(SCREENSHOTS);
        String basic = "Basic " + Base64.getEncoder().encodeToString("reader:reader".getBytes(StandardCharsets.UTF_8));
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                        .setArgs(List.of("--no-sandbox")))) {
            var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 900)
                    .setExtraHTTPHeaders(Map.of("Authorization", basic)));
            for (String url : urls) {
                List<String> errors = new ArrayList<>();
                try (Page page = context.newPage()) {
                    page.onConsoleMessage(message -> {
                        if ("error".equals(message.type()) || message.text().contains("Content Security Policy")) {
                            errors.add(message.text());
                        }
                    });
                    page.onPageError(error -> errors.add(error));
                    Response response = page.navigate(r.getURL() + url);
                    assertThat(url, response.status(), is(200));
                    page.waitForLoadState();
                    page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                            .setPath(SCREENSHOTS.resolve(url.replaceAll("/$", "").replaceAll("[^A-Za-z0-9-]+", "_") + ".png")));
                    if (url.startsWith("job/churn/1/mlops-")) {
                        assertFramedOnce(url, page);
                    }
                }
                assertThat(url + " in Chromium", errors, is(empty()));
            }
            assertThat(Files.list(SCREENSHOTS).toList(), not(empty()));
        }
    }
}
