package io.jenkins.plugins.mlops.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.registry.RegisterResult;
import io.jenkins.plugins.mlops.result.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegisterPanelsTest {

    @Test
    void showsTheVersionItsAliasesAndItsTagsEscaped() {
        String html = RegisterPanels.version(result(7, List.of("champion", "staging"),
                Map.of("mlops.git_commit", "0123abc", "note", "<script>alert(1)</script>")));

        assertThat(html).contains("<td>churn</td>", "<td>7 (new)</td>", "<td>champion, staging</td>",
                "<td>models:/m-1234</td>", "<td>mlops.git_commit</td><td>0123abc</td>", "&lt;script&gt;")
                .doesNotContain("<script>");
    }

    @Test
    void saysSoWhenNothingWasRegistered() {
        assertThat(RegisterPanels.version(result(null, List.of(), Map.of("mlops.gate_decision", "FAIL"))))
                .contains("Nothing was registered.", "<td>mlops.gate_decision</td><td>FAIL</td>").doesNotContain("Version");
    }

    @Test
    void refusesAnotherStepsResult() {
        RegisterResult other = result(1, List.of(), Map.of());
        RegisterResult renamed = new RegisterResult("mlops.gate/v1", other.step(), other.status(), other.started(),
                other.durationS(), other.summary(), other.checks(), other.registry(), other.name(), other.version(),
                other.aliases(), other.source(), other.runId(), other.tags(), true, 0, 0);

        assertThatThrownBy(() -> RegisterPanels.version(renamed)).hasMessageContaining("mlops.gate/v1");
    }

    private static RegisterResult result(Integer version, List<String> aliases, Map<String, String> tags) {
        return new RegisterResult(RegisterResult.SCHEMA, RegisterResult.STEP, Status.PASS, Instant.parse("2026-12-01T08:00:00Z"),
                1.5, "Registered churn", List.of(), "http://127.0.0.1:5000", "churn", version, aliases,
                "models:/m-1234", "run-1", tags, true, 3, 43_000);
    }
}
