package io.jenkins.plugins.mlops.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check deployModel runs before it creates anything: only the image the model version names. */
class ImageDigestsTest {
    private static final String DIGEST = "sha256:" + "1".repeat(64);
    private static final String OTHER = "sha256:" + "2".repeat(64);
    private static final ModelVersion PACKAGED = version(Map.of(ImageDigests.VERSION_TAG, "registry.example.com/ml/churn@" + DIGEST));

    @Test
    void takesTheImageTheVersionNamesByDigestOrByTag() {
        assertThat(ImageDigests.requireNamedBy(PACKAGED, "registry.example.com/ml/churn@" + DIGEST).digest()).isEqualTo(DIGEST);
        // A tag can move: the version's digest is what gets deployed.
        assertThat(ImageDigests.requireNamedBy(PACKAGED, "registry.example.com/ml/churn:42"))
                .hasToString("registry.example.com/ml/churn@" + DIGEST);
    }

    @Test
    void refusesAnImageWhoseDigestTheVersionDoesNotName() {
        assertThatThrownBy(() -> ImageDigests.requireNamedBy(PACKAGED, "registry.example.com/ml/churn@" + OTHER))
                .isInstanceOf(BadInputException.class).hasMessageContaining("churn version 3 names " + DIGEST)
                .hasMessageContaining("refusing an image the registry version does not name");
        assertThatThrownBy(() -> ImageDigests.requireNamedBy(PACKAGED, "registry.example.com/ml/other@" + DIGEST))
                .isInstanceOf(BadInputException.class).hasMessageContaining("is not the image of model churn version 3");
        assertThatThrownBy(() -> ImageDigests.requireNamedBy(version(Map.of()), "registry.example.com/ml/churn@" + DIGEST))
                .isInstanceOf(BadInputException.class).hasMessageContaining("names no image");
    }

    private static ModelVersion version(Map<String, String> tags) {
        return new ModelVersion("churn", 3, List.of("staging"), "runs:/abc/model", "abc", tags, null, null, null);
    }
}
