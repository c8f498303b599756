package io.jenkins.plugins.mlops.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NAME=COMMAND as the CLI and the plugin take it, split as a shell would. */
class CheckCommandTest {

    @Test
    void theCommandIsSplitAsAShellWouldWithoutExpandingAnything() {
        CheckCommand check = CheckCommand.parse("tests = python -m pytest -k 'nan and not slow' --junitxml {junit}"
                + " \"a \\\"quoted\\\" dir\" $HOME back\\ slash");

        assertThat(check.name()).isEqualTo("tests");
        assertThat(check.command()).containsExactly("python", "-m", "pytest", "-k", "nan and not slow", "--junitxml",
                "{junit}", "a \"quoted\" dir", "$HOME", "back slash");
    }

    @Test
    void badCommandsAreBadInputSayingWhy() {
        assertThatThrownBy(() -> CheckCommand.parse("pytest tests")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("is not NAME=COMMAND");
        assertThatThrownBy(() -> CheckCommand.parse("lint=ruff check 'src")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("never closed");
        assertThatThrownBy(() -> CheckCommand.parse("lint=  ")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'lint' is empty");
        assertThatThrownBy(() -> CheckCommand.parse("../evil=true")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("names the command's JUnit file");
    }

    @Test
    void twoCommandsOfOneNameAreRefused() {
        List<CheckCommand> twice = List.of(CheckCommand.parse("lint=ruff check ."), CheckCommand.parse("lint=flake8"));

        assertThatThrownBy(() -> new CiConfig(twice, Duration.ofMinutes(1), null, "r"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("two commands are named 'lint'");
    }
}
