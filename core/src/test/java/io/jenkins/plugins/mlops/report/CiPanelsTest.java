package io.jenkins.plugins.mlops.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.ci.CiResult;
import io.jenkins.plugins.mlops.ci.CommandOutcome;
import io.jenkins.plugins.mlops.ci.FailedTest;
import io.jenkins.plugins.mlops.ci.JunitSummary;
import io.jenkins.plugins.mlops.result.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ci panels: every command with a link to its JUnit file, the failing cases and output of a failed one, escaped. */
class CiPanelsTest {

    @Test
    void aFailedCommandShowsItsFailingCasesAndOutputEscaped() {
        List<FailedTest> failed = List.of(new FailedTest("tests.test_loader.test_<unseen>", "failure",
                "KeyError: '<script>alert(1)</script>'"));
        CommandOutcome tests = new CommandOutcome("tests", List.of("pytest", "--junitxml", "ci-tests-junit.xml"),
                Status.FAIL, 1, false, 3.2, "ci-tests-junit.xml", true, new JunitSummary(40, 21, 2, 1, failed),
                "tests exited with status 1; 40 test cases, 23 failed, 1 skipped", List.of("E   KeyError: '<b>'"));
        CommandOutcome format = new CommandOutcome("format", List.of("black", "--check", "."), Status.PASS, 0, false, 0.8,
                "ci-format-junit.xml", false, new JunitSummary(1, 0, 0, 0, List.of()), "format exited 0", List.of());
        CiResult result = new CiResult(CiResult.SCHEMA, CiResult.STEP, Status.FAIL, Instant.EPOCH, 4, "CI failed.",
                List.of(), List.of(format, tests));

        String html = CiPanels.commands(result);

        assertThat(html).contains("href=\"ci-tests-junit.xml\"", "href=\"ci-format-junit.xml\"",
                "(from its exit status)", "<h2>tests failed</h2>", "tests.test_loader.test_&lt;unseen&gt;",
                "KeyError: &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;", "E   KeyError: &#39;&lt;b&gt;&#39;",
                "22 more in the JUnit file.")
                .doesNotContain("<h2>format failed</h2>", "<script", "style=", "<b>");
    }
}
