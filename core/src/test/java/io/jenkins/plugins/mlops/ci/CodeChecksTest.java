package io.jenkins.plugins.mlops.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ci step over real processes: shell commands that pass, fail, and write JUnit XML or none. */
class CodeChecksTest {
    private static final String PASSING_AND_FAILING = "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"pytest\">"
            + "<testcase classname=\"tests.test_loader\" name=\"test_nan\"/>"
            + "<testcase classname=\"tests.test_loader\" name=\"test_unseen\">"
            + "<failure message=\"KeyError: &apos;digital wallet&apos;\">Traceback ...</failure></testcase>"
            + "<testcase classname=\"tests.test_train\" name=\"test_main\"><error message=\"\">boom\nmore</error></testcase>"
            + "<testcase classname=\"tests.test_train\" name=\"test_gpu\"><skipped/></testcase>"
            + "</testsuite></testsuites>\n";

    @TempDir
    Path dir;

    private final List<String> console = new ArrayList<>();

    @Test
    void aCommandsOwnJunitDecidesAndIsKept() throws IOException {
        CiResult result = run(check("tests", "printf '%s' '" + PASSING_AND_FAILING + "' > \"$1\"; exit 1"));

        assertThat(result.status()).isEqualTo(Status.FAIL);
        CommandOutcome tests = result.commands().get(0);
        assertThat(tests.junitFromCommand()).isTrue();
        assertThat(tests.tests()).isEqualTo(new JunitSummary(4, 1, 1, 1, List.of(
                new FailedTest("tests.test_loader.test_unseen", "failure", "KeyError: 'digital wallet'"),
                new FailedTest("tests.test_train.test_main", "error", "boom"))));
        assertThat(Files.readString(dir.resolve("reports/ci-tests-junit.xml"))).isEqualTo(PASSING_AND_FAILING);
        assertThat(result.checks().get(0).message()).contains("4 test cases, 2 failed, 1 skipped",
                "tests.test_loader.test_unseen: KeyError");
        assertThat(result.summary()).startsWith("CI failed: tests exited with status 1");
    }

    @Test
    void aCommandWithoutJunitGetsOneFromItsExitStatusAndOutput() throws IOException {
        CiResult result = run(check("format", "echo 'would reformat train.py'; echo 'Oh no!'; exit 1"),
                check("lint", "echo 'All checks passed!'"));

        assertThat(result.status()).isEqualTo(Status.FAIL);
        CommandOutcome format = result.commands().get(0);
        assertThat(format.status()).isEqualTo(Status.FAIL);
        assertThat(format.junitFromCommand()).isFalse();
        assertThat(format.tests()).isEqualTo(new JunitSummary(1, 1, 0, 0,
                List.of(new FailedTest("ci.format", "failure", "exited with status 1"))));
        assertThat(Files.readString(dir.resolve("reports/ci-format-junit.xml")))
                .contains("<testcase classname=\"ci\" name=\"format\"", "would reformat train.py");
        CommandOutcome lint = result.commands().get(1);
        assertThat(lint.status()).isEqualTo(Status.PASS);
        assertThat(lint.tests()).isEqualTo(new JunitSummary(1, 0, 0, 0, List.of()));
        assertThat(result.summary()).isEqualTo("CI failed: format exited with status 1.");
    }

    @Test
    void everyCommandRunsEvenAfterOneFailed() {
        CiResult result = run(check("first", "exit 3"), check("second", "echo second ran"));

        assertThat(result.commands()).extracting(CommandOutcome::status).containsExactly(Status.FAIL, Status.PASS);
        assertThat(console).contains("second ran");
    }

    @Test
    void failingCasesFailACommandThatExitedZero() {
        CiResult result = run(check("tests", "printf '%s' '" + PASSING_AND_FAILING + "' > \"$1\""));

        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(result.commands().get(0).message()).isEqualTo("tests exited 0; 4 test cases, 2 failed, 1 skipped");
    }

    @Test
    void aNonZeroExitFailsACommandWhoseJunitListsNoFailure() {
        CiResult result = run(check("tests", "printf '<testsuite name=\"p\"></testsuite>' > \"$1\"; exit 5"));

        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(result.commands().get(0).message()).contains("exited with status 5", "0 test cases",
                "lists no failing case, the exit status fails it");
    }

    @Test
    void aMalformedJunitFileFailsTheCommandAndIsReplacedByOneThatSaysSo() throws IOException {
        CiResult result = run(check("tests", "printf '<testsuite><testcase name=\"a\">' > \"$1\""));

        CommandOutcome tests = result.commands().get(0);
        assertThat(tests.status()).isEqualTo(Status.FAIL);
        assertThat(tests.message()).contains("its JUnit file is unreadable", "not well-formed");
        assertThat(Files.readString(dir.resolve("reports/ci-tests-junit.xml"))).contains("<failure message=\"its JUnit file");
    }

    @Test
    void aJunitFileWithAnExternalEntityIsRefusedWithoutReadingIt() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "s3cret-value");
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file://" + secret + "\">]>"
                + "<testsuite><testcase name=\"a\"><failure message=\"&x;\"/></testcase></testsuite>";

        CiResult result = run(check("tests", "printf '%s' '" + hostile + "' > \"$1\""));

        assertThat(result.commands().get(0).status()).isEqualTo(Status.FAIL);
        assertThat(result.commands().get(0).message()).contains("unreadable").doesNotContain("s3cret-value");
        assertThat(result.commands().get(0).tests().failed()).noneMatch(test -> test.message().contains("s3cret"));
    }

    @Test
    void aSecretInACommandsJunitOrOutputIsMaskedInTheReportFiles() throws IOException {
        Redaction.remember("ci-secret-4d7f9a2b");
        String junit = "<testsuite><testcase name=\"t\"><system-out>token ci-secret-4d7f9a2b</system-out></testcase></testsuite>";

        run(check("tests", "printf '%s' '" + junit + "' > \"$1\""), check("lint", "echo ci-secret-4d7f9a2b; exit 1"));

        assertThat(Files.readString(dir.resolve("reports/ci-tests-junit.xml"))).doesNotContain("ci-secret-4d7f9a2b")
                .contains("token " + Redaction.MASK);
        assertThat(Files.readString(dir.resolve("reports/ci-lint-junit.xml"))).doesNotContain("ci-secret-4d7f9a2b");
    }

    @Test
    void aJunitFileLeftByAnEarlierRunDoesNotStandForThisOne() throws IOException {
        Files.createDirectories(dir.resolve("reports"));
        Files.writeString(dir.resolve("reports/ci-tests-junit.xml"), PASSING_AND_FAILING);

        Files.writeString(dir.resolve("reports/ci-old-name-junit.xml"), PASSING_AND_FAILING);
        Files.writeString(dir.resolve("reports/ci-junit.xml"), "the step's own set, not a command's");

        CiResult result = run(check("tests", "true"));

        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.commands().get(0).junitFromCommand()).isFalse();
        assertThat(dir.resolve("reports/ci-old-name-junit.xml")).doesNotExist();
        assertThat(dir.resolve("reports/ci-junit.xml")).exists();
    }

    @Test
    void aCommandPastItsTimeLimitFails() {
        CiResult result = new CodeChecks().run(new CiConfig(List.of(check("slow", "sleep 30")), Duration.ofSeconds(1),
                dir.toString(), "reports"), console::add);

        assertThat(result.commands().get(0).timedOut()).isTrue();
        assertThat(result.commands().get(0).message()).contains("stopped at the 1s time limit");
    }

    @Test
    void aProgramThatIsNotInstalledIsBadInputNamingIt() {
        CheckCommand missing = new CheckCommand("lint", List.of("no-such-linter-here", "."));

        assertThatThrownBy(() -> run(missing)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no-such-linter-here");
    }

    private CiResult run(CheckCommand... commands) {
        return new CodeChecks().run(new CiConfig(List.of(commands), Duration.ofMinutes(1), dir.toString(), "reports"),
                console::add);
    }

    /** A shell snippet as a named check; {@code $1} is the JUnit path. */
    private static CheckCommand check(String name, String script) {
        return new CheckCommand(name, List.of("sh", "-c", script, "sh", CheckCommand.JUNIT));
    }
}
