package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code --engine arrow}, a reference, two threads or more, the current data's pass runs on
 * a thread of its own beside the reference's ({@link TogetherPasses}): the same verdicts as one
 * file after the other (one thread), and
 * a bad file among the two named as when they were scanned in turn, the reference's first.
 */
class TogetherPassesTest {
    private static final EngineSettings TOGETHER = EngineSettings.of("1GB", 2, EngineSettings.ARROW, null);
    private static final EngineSettings IN_TURN = EngineSettings.of("1GB", 1, EngineSettings.ARROW, null);

    @TempDir
    Path dir;

    @Test
    void theCurrentDataIsProfiledBesideTheReferenceWithTheVerdictsOfOneAfterTheOther() {
        Path reference = TestData.churn(dir.resolve("reference.csv"), 50_000, 0.1, 0, 0);
        Path current = TestData.churn(dir.resolve("current.csv"), 50_000, 0.2, 0.3, 0.1);
        Map<String, String> threadOf = new ConcurrentHashMap<>();
        ValidationResult together = new DataValidator(line -> threadOf.putIfAbsent(line, Thread.currentThread().getName()), true)
                .validate(new ValidationConfig(current.toString(), reference.toString(), null, null, TOGETHER));
        ValidationResult inTurn = new DataValidator(line -> { })
                .validate(new ValidationConfig(current.toString(), reference.toString(), null, null, IN_TURN));

        assertThat(threadOf).anySatisfy((line, thread) -> {
            assertThat(line).startsWith("scanning " + current);
            assertThat(thread).isEqualTo("mlops-current-pass");
        });
        assertThat(together.checks()).as("checks, drift among them").hasSizeGreaterThan(10)
                .anyMatch(check -> check.name().equals("drift") && check.status() != io.jenkins.plugins.mlops.result.Status.PASS);
        assertThat(SparkVerdictsTest.differences("together", inTurn, together)).isEmpty();
    }

    @Test
    void aBadReferenceIsNamedBeforeABadCurrentAndAGoodCurrentDoesNotHideIt() {
        Path good = TestData.write(dir, "good.csv", rows(40_000, ""));
        Path badReference = TestData.write(dir, "bad-reference.csv", rows(30_000, "1,2,basic,extra\n"));
        Path badCurrent = TestData.write(dir, "bad-current.csv", rows(35_000, "1,2,basic,extra\n"));

        for (List<Path> pair : List.of(List.of(badReference, good), List.of(badReference, badCurrent))) {
            assertThatThrownBy(() -> validate(pair.get(0), pair.get(1))).isInstanceOf(BadInputException.class)
                    .hasMessageContaining(badReference.toString()).hasMessageContaining("line 30002");
        }
        assertThatThrownBy(() -> validate(good, badCurrent)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(badCurrent.toString()).hasMessageContaining("line 35002");
    }

    private static ValidationResult validate(Path reference, Path current) {
        return new DataValidator(line -> { }, true).validate(new ValidationConfig(current.toString(), reference.toString(), null, null, TOGETHER));
    }

    /** {@code n} good rows, then {@code tail}, then one more good row. */
    private static String rows(int n, String tail) {
        StringBuilder csv = new StringBuilder("id,amount,plan\n");
        for (int i = 0; i < n; i++) {
            csv.append(i).append(',').append(i * 1.5).append(",basic\n");
        }
        return csv.append(tail).append("3,4,basic\n").toString();
    }
}
