package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.jenkins.plugins.mlops.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every report page (each step's and the pipeline's index) from real runs of the churn
 * example (the first promotes, the second retrains after drift through all seven stages, the
 * third, a training change that drops the strongest feature, is blocked at the gate), opened in
 * Debian's Chromium through Playwright at a laptop's viewport: the key
 * elements are visible, the page loads nothing from the network and carries no script.
 * Screenshots go to target/screenshots/ for a person to look at.
 */
class ReportsInBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    /** The third run's index page: the blocked training change. */
    private static final String BLOCKED = "report-blocked.html";

    /** The elements a reader looks for first, per page. */
    private static final Map<String, List<String>> KEY_ELEMENTS = Map.of(
            "report.html", List.of("h1 .badge", ".pipeline-stages li >> nth=6", "svg.history-chart",
                    "svg.history-chart circle.history-champion", "svg.history-chart rect.history-promoted",
                    "#stage-1 .validation-chart svg", "#stage-4 .gate-rules table",
                    "#stage-4 tr.gate-primary", "#stage-4 svg", "#stage-5 .panel", "#stage-6 table", "#stage-7 svg"),
            BLOCKED, List.of("h1 .badge.status-fail", ".pipeline-stage.status-not-run", "#stage-4 .gate-rules tr.status-fail",
                    "svg.history-chart rect.history-blocked", "svg.history-chart line.history-handover"),
            "validation.html", List.of("h1 .badge", ".validation-chart svg", "section.checks table"),
            "smoke.html", List.of("h1 .badge", ".train-facts", "section.checks table"),
            "train.html", List.of("h1 .badge", ".train-facts", "section.checks table"),
            "gate.html", List.of("h1 .badge", ".gate-rules table", "tr.gate-primary", "svg", "section.checks table"),
            "register.html", List.of("h1 .badge", ".panel", "section.checks table"),
            "shadow.html", List.of("h1 .badge.status-pass", "table", "section.checks table"),
            "canary.html", List.of("h1 .badge.status-pass", "svg", "section.checks table"),
            "drift.html", List.of("h1 .badge.status-fail", ".validation-chart svg", "section.checks table"));

    @TempDir
    static Path dir;

    static Path runDir;
    static Path blockedReport;
    static Path driftDir;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void runThePipelineAndStartChromium() throws Exception {
        ChurnProject project = ChurnProject.copy(dir.resolve("churn"));
        project.batch(false);
        ChurnProject.Result first = project.run();
        assertThat(first.code()).as("%s", first).isZero();
        // The second run, after drift, runs every stage: its pages are the ones looked at.
        project.batch(true);
        ChurnProject.Result run = project.run();
        assertThat(run.code()).as("%s", run).isZero();
        runDir = run.report().getParent();
        String train = "--data, data/train.csv, --out";
        project.replace("mlops.yaml", train, "--data, data/train.csv, --drop-feature, contract, --out");
        ChurnProject.Result blocked = project.run();
        assertThat(blocked.code()).as("%s", blocked).isEqualTo(ExitCodes.FAILED);
        blockedReport = blocked.report();

        driftDir = dir.resolve("drift");
        Path profile = dir.resolve("profile.json");
        assertThat(ChurnProject.mlops("profile", "--data", ChurnProject.EXAMPLE.resolve("data/reference.csv").toString(),
                "--out", profile.toString(), "--quiet").code()).isZero();
        assertThat(ChurnProject.mlops("drift", "--reference-profile", profile.toString(), "--data",
                ChurnProject.EXAMPLE.resolve("data/drifted.csv").toString(), "--report", driftDir.toString(), "--quiet")
                .code()).isEqualTo(ExitCodes.FAILED);

        Path chromium = TestEnvironment.chromium();
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                .setArgs(List.of("--no-sandbox")));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void closeChromium() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    static Stream<String> pages() {
        return KEY_ELEMENTS.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("pages")
    void pageShowsItsKeyElementsWithoutNetworkOrScript(String name) {
        Path file = name.equals(BLOCKED) ? blockedReport : (name.equals("drift.html") ? driftDir : runDir).resolve(name);
        assertThat(file).isRegularFile();
        List<String> requests = new ArrayList<>();
        try (Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1366, 768))) {
            page.onRequest(request -> requests.add(request.url()));
            page.navigate(file.toUri().toString());

            for (String selector : KEY_ELEMENTS.get(name)) {
                Locator element = page.locator(selector).first();
                assertThat(element.isVisible()).as("%s: %s is visible", name, selector).isTrue();
            }
            // The stylesheet applied: a badge is coloured, not the browser's default black on white.
            assertThat(page.locator("h1 .badge").first().evaluate("e => getComputedStyle(e).color"))
                    .isEqualTo("rgb(255, 255, 255)");
            assertThat(page.evaluate("() => document.scripts.length")).isEqualTo(0);
            assertThat(page.evaluate("() => [...document.querySelectorAll('*')].filter(e => [...e.attributes]"
                    + ".some(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))).length")).isEqualTo(0);
            // Nothing wider than the laptop's screen: no sideways scrolling to read a table.
            assertThat((Integer) page.evaluate("() => document.documentElement.scrollWidth")).isLessThanOrEqualTo(1366);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name.replace(".html", ".png")))
                    .setFullPage(true));
        }
        String directory = file.getParent().toUri().toString();
        assertThat(requests).as("requests of %s", name).isNotEmpty()
                .allSatisfy(url -> assertThat(url).startsWith(directory));
        assertThat(file.toFile().length()).as("size of %s", name).isLessThan(512 * 1024);
    }
}
